using System.Globalization;
using SecureDialogue.Vault.Archive.Bundles;
using SecureDialogue.Vault.Certification;

namespace SecureDialogue.Cli.Commands.Verify;

/// <summary>What <c>sdlg verify bundle</c> prints: the verdict, the first failure or the summary, and the transcript written.</summary>
internal sealed record BundleVerdictView(bool Valid, string File, BundleFailureView? Failure, BundleSummaryView? Summary)
{
    public TranscriptView? Transcript { get; init; }

    public static BundleVerdictView Of(string file, BundleVerification verification) => new(
        verification.IsValid,
        file,
        verification.Failure is { } f ? new BundleFailureView(f.Reason.ToString(), f.EntryIndex, f.LastEntryIndex, f.Offset, f.Detail) : null,
        verification.Summary is { } s ? BundleSummaryView.Of(s) : null);

    /// <summary>The one-line reason of an invalid bundle, naming the first bad entry.</summary>
    public string FailureLine => Failure is not { } f
        ? string.Empty
        : f.EntryIndex is { } index
            ? string.Create(CultureInfo.InvariantCulture, $"invalid bundle: entry {index}: {f.Detail} ({f.Reason}, at byte {f.Offset})")
            : string.Create(CultureInfo.InvariantCulture, $"invalid bundle: {f.Detail} ({f.Reason}, at byte {f.Offset})");

    public void WriteText(TextWriter writer)
    {
        if (Failure is not null)
        {
            writer.WriteLine(FailureLine);
            return;
        }

        var s = Summary!;
        writer.WriteLine($"valid: {File}");
        writer.WriteLine($"  review       {s.Review} ({s.Origin})");
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  entries      {s.TreeSize}: {string.Join(", ", s.EntriesByKind.Select(k => $"{k.Value} {k.Key}"))}"));
        writer.WriteLine($"  root         {s.Root}");
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  checkpoints  {s.Checkpoints} verified and recomputed; {s.Cosignatures} cosignatures by {s.Cosigners} devices"));
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  signatures   {s.EnvelopeSignatures} envelopes, {s.EpochRecordSignatures} epoch records, {s.DeviceCards} device cards"));
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  attachments  {(s.AttachmentMode == nameof(BundleAttachmentMode.Ciphertexts) ? $"{s.AttachmentCiphertexts} ciphertexts inside, each checked" : "digests only")}"));
        if (s.Certificates > 0)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  reserved     {s.Certificates} certificate records carried, not checked (section 17.1)"));
        }

        writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  trust        {s.TrustStatements.Count} statements, each signature verified with its certifier's card:"));
        foreach (var statement in s.TrustStatements)
        {
            writer.WriteLine($"    {statement.Describe()}");
        }

        foreach (var key in s.LogKeys)
        {
            writer.WriteLine($"  log key      {key}");
        }

        writer.WriteLine(s.LogKeysTrusted
            ? "  the log keys are the ones given with --log-key"
            : "  compare the log key with the archive's published key (or pass --log-key)");
        writer.WriteLine($"  sealed       {s.SealDigest} (SHA-256 of the bundle before its seal)");
        if (Transcript is { } t)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"transcript: {t.Path} ({t.Readable} items read, {t.NotReadable} not readable by this device, {t.Attachments} attachments written)"));
        }
    }
}

internal sealed record BundleFailureView(string Reason, long? EntryIndex, long? LastEntryIndex, long Offset, string Detail);

internal sealed record BundleSummaryView(
    string Review, string Origin, DateTimeOffset CreatedAt, long TreeSize, string Root, IReadOnlyList<string> LogKeys, string AttachmentMode,
    IReadOnlyDictionary<string, long> EntriesByKind, int Checkpoints, int Cosignatures, int Cosigners, int DeviceCards, int Certificates,
    long EnvelopeSignatures, long EpochRecordSignatures, long AttachmentCiphertexts, string SealDigest, long Size)
{
    public bool LogKeysTrusted { get; init; }

    /// <summary>Who certified or revoked whom, in log order (the archived trust statements, verified).</summary>
    public IReadOnlyList<TrustStatementView> TrustStatements { get; init; } = [];

    public static BundleSummaryView Of(BundleSummary s) => new(
        s.Review.ToString("D"), s.Origin, s.CreatedAt, s.TreeSize, Convert.ToHexStringLower(s.Root), s.LogKeys, s.AttachmentMode.ToString(),
        s.EntriesByKind.OrderBy(k => k.Key).ToDictionary(k => k.Key.ToString(), k => k.Value), s.Checkpoints, s.Cosignatures, s.Cosigners,
        s.DeviceCards, s.Certificates, s.EnvelopeSignatures, s.EpochRecordSignatures, s.AttachmentCiphertexts, Convert.ToHexStringLower(s.SealDigest), s.Size)
    {
        TrustStatements = [.. s.TrustStatements.Select(TrustStatementView.Of)],
    };
}

/// <summary>One verified trust statement of a bundle: who (a State's focal point device) said what about which device.</summary>
internal sealed record TrustStatementView(
    long Entry, string Kind, string State, string Certifier, ulong Sequence, DateTimeOffset IssuedAt, string Subject, string SubjectAccount,
    string? Role, bool History, string? Reason, string Reference)
{
    public static TrustStatementView Of(BundleTrustStatement t)
    {
        var s = t.Statement;
        var certificate = s.Kind == TrustStatementKind.Certificate;
        return new TrustStatementView(
            t.EntryIndex, s.IsRoot ? "root" : certificate ? "certificate" : "revocation", s.StateCode, s.Certifier.ToString(), s.Sequence, s.IssuedAt,
            s.Subject.ToString(), s.SubjectAccount.ToString("D"), certificate ? s.Role.ToString() : null, certificate && s.Flags.HasFlag(CertificateFlags.History),
            certificate ? null : s.Reason.ToString(), s.Reference);
    }

    /// <summary>One line for a person.</summary>
    public string Describe()
    {
        var reference = Reference.Length == 0 ? string.Empty : $", reference {Reference}";
        return Kind switch
        {
            "root" => string.Create(CultureInfo.InvariantCulture,
                $"entry {Entry}: {State}'s focal point device {Certifier} (account {SubjectAccount}) is its trust root{reference}"),
            "certificate" => string.Create(CultureInfo.InvariantCulture,
                $"entry {Entry}: {State}'s root {Certifier} certifies device {Subject} of account {SubjectAccount} as {Role}{(History ? " with history" : string.Empty)}{reference}"),
            _ => string.Create(CultureInfo.InvariantCulture,
                $"entry {Entry}: {State}'s root {Certifier} revokes device {Subject} of account {SubjectAccount} ({Reason}){reference}"),
        };
    }
}

internal sealed record TranscriptView(string Path, string Device, long Readable, long NotReadable, int Attachments);
