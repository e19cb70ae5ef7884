using System.Text.Json.Serialization;

namespace SecureDialogue.Cli.Output;

/// <summary>Source-generated JSON for <c>--json</c> output: camelCase, indented.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(DeviceCardView))]
[JsonSerializable(typeof(SafetyNumberView))]
[JsonSerializable(typeof(SecureDialogue.Cli.Commands.Verify.ProofVerdictView))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
