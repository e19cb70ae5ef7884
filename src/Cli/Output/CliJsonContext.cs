using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecureDialogue.Cli.Output;

/// <summary>Source-generated JSON for <c>--json</c> output (camelCase, indented) and the profile's <c>login.json</c>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(DeviceCardView))]
[JsonSerializable(typeof(SafetyNumberView))]
[JsonSerializable(typeof(SecureDialogue.Cli.Commands.Verify.ProofVerdictView))]
[JsonSerializable(typeof(SecureDialogue.Cli.Commands.Verify.BundleVerdictView))]
[JsonSerializable(typeof(SecureDialogue.Cli.Commands.Verify.PublicationView))]
[JsonSerializable(typeof(SecureDialogue.Contracts.SealedBundleInfo))]
[JsonSerializable(typeof(SecureDialogue.Contracts.SealedBundleList))]
[JsonSerializable(typeof(SecureDialogue.Cli.Commands.Archive.FetchedBundleView))]
[JsonSerializable(typeof(SecureDialogue.Cli.Session.LoginSettings))]
[JsonSerializable(typeof(SecureDialogue.Contracts.DevTokenRequest))]
[JsonSerializable(typeof(SecureDialogue.Contracts.DevTokenResponse))]
[JsonSerializable(typeof(SecureDialogue.Cli.Commands.Account.AccountView))]
[JsonSerializable(typeof(SecureDialogue.Cli.Commands.Account.LogoutView))]
[JsonSerializable(typeof(SecureDialogue.Cli.Commands.Reviews.ReviewListView))]
[JsonSerializable(typeof(SecureDialogue.Cli.Commands.Mechanism.StageView))]
[JsonSerializable(typeof(SecureDialogue.Cli.Commands.Mechanism.PolicyView))]
[JsonSerializable(typeof(SecureDialogue.Cli.Commands.Reviews.ReviewDetailView))]
[JsonSerializable(typeof(SecureDialogue.Cli.Commands.Dialogue.ReadView))]
[JsonSerializable(typeof(SecureDialogue.Cli.Commands.Dialogue.ItemView))]
[JsonSerializable(typeof(SecureDialogue.Cli.Commands.Dialogue.AlertView))]
[JsonSerializable(typeof(SecureDialogue.Cli.Commands.Dialogue.SentView))]
[JsonSerializable(typeof(SecureDialogue.Cli.Commands.Dialogue.AmendedView))]
[JsonSerializable(typeof(SecureDialogue.Cli.Commands.Devices.TrustedDeviceView))]
[JsonSerializable(typeof(SecureDialogue.Cli.Commands.Attachments.AttachedView))]
[JsonSerializable(typeof(SecureDialogue.Cli.Commands.Attachments.DownloadedView))]
[JsonSerializable(typeof(SecureDialogue.Cli.Commands.Archive.ArchiveStateView))]
[JsonSerializable(typeof(SecureDialogue.Cli.Commands.Trust.MembersView))]
[JsonSerializable(typeof(SecureDialogue.Cli.Commands.Trust.TrustActionView))]
[JsonSerializable(typeof(SecureDialogue.Cli.Commands.Trust.FocalPointLine))]
[JsonSerializable(typeof(SecureDialogue.Cli.Commands.Publication.PublishedView))]
[JsonSerializable(typeof(SecureDialogue.Cli.Commands.Publication.PublicationsView))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
    /// <summary>
    /// What <c>--json</c> prints: indented, and non-ASCII text (Arabic, Chinese, accents) left readable rather than
    /// escaped as <c>\uXXXX</c>; control characters and quotes are still escaped. Standard output is not HTML.
    /// </summary>
    public static CliJsonContext Output { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    /// <summary>The same as <see cref="Output"/> on one line per document, for NDJSON (<c>watch --json</c>).</summary>
    public static CliJsonContext Lines { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
