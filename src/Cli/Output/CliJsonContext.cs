using System.Text.Json.Serialization;

namespace SecureDialogue.Cli.Output;

/// <summary>Source-generated JSON for <c>--json</c> output: camelCase, indented.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(DeviceCardView))]
[JsonSerializable(typeof(SafetyNumberView))]
[JsonSerializable(typeof(SecureDialogue.Cli.Commands.Verify.ProofVerdictView))]
[JsonSerializable(typeof(SecureDialogue.Cli.Session.LoginSettings))]
[JsonSerializable(typeof(SecureDialogue.Cli.Commands.Account.DevTokenRequest))]
[JsonSerializable(typeof(SecureDialogue.Cli.Commands.Account.DevTokenResponse))]
[JsonSerializable(typeof(SecureDialogue.Cli.Commands.Account.AccountView))]
[JsonSerializable(typeof(SecureDialogue.Cli.Commands.Account.LogoutView))]
[JsonSerializable(typeof(SecureDialogue.Cli.Commands.Reviews.ReviewListView))]
[JsonSerializable(typeof(SecureDialogue.Cli.Commands.Reviews.ReviewDetailView))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
