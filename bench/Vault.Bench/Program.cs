using BenchmarkDotNet.Running;

// Entry point so the solution builds; benchmarks are added as classes in this assembly.
// Run: dotnet run -c Release --project bench/Vault.Bench -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
