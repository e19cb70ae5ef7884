using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Toolchains;
using BenchmarkDotNet.Toolchains.CsProj;
using BenchmarkDotNet.Toolchains.DotNetCli;

namespace SecureDialogue.Bench;

/// <summary>
/// BenchmarkDotNet's out-of-process .NET toolchain, pointed at this project's file. The stock generator looks
/// for <c>{assembly name}.csproj</c>, but the assembly is <c>SecureDialogue.Bench</c> (the name the vault grants
/// InternalsVisibleTo) while the project is <c>Vault.Bench.csproj</c>.
/// </summary>
internal static class BenchToolchain
{
    private const string ProjectFileName = "Vault.Bench.csproj";

    public static IToolchain Create()
    {
        var tfm = $"net{Environment.Version.Major}.{Environment.Version.Minor}";
        return new Toolchain(
            $"{tfm} ({ProjectFileName})",
            new Generator(tfm),
            new DotNetCliBuilder(tfm, customDotNetCliPath: null!, logOutput: false),
            new DotNetCliExecutor(customDotNetCliPath: null!));
    }

    /// <summary>bin/Release/net10.0 is three levels below the project directory; search upwards to be safe.</summary>
    private static FileInfo FindProjectFile()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = new FileInfo(Path.Combine(directory.FullName, ProjectFileName));
            if (candidate.Exists)
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{ProjectFileName} was not found above {AppContext.BaseDirectory}; run the benchmarks from their build output.");
    }

    private sealed class Generator(string tfm)
        : CsProjGenerator(tfm, cliPath: null!, packagesPath: null!, runtimeFrameworkVersion: null!, isNetCore: true)
    {
        protected override FileInfo GetProjectFilePath(Type benchmarkTarget, ILogger logger) => FindProjectFile();
    }
}
