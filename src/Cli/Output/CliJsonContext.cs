using System.Text.Json.Serialization;

namespace SecureDialogue.Cli.Output;

/// <summary>Source-generated JSON for <c>--json</c> output: camelCase, indented.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(DeviceCardView))]
[JsonSerializable(typeof(SafetyNumberView))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
