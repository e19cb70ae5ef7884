using System.Security.Cryptography;
using System.Text;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Archive.Bundles;
using SecureDialogue.Vault.Attachments;
using SecureDialogue.Vault.Certification;
using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Merkle;

namespace SecureDialogue.Testing.Bundles;

/// <summary>
/// A review's archive log built with the real primitives (public API only, so Cli.Tests, Messaging.Tests and the
/// benchmark link this file): a focal point (manager) and an expert in the dialogue channel, an outsider who is
/// never a member, an epoch record, envelopes in English, French and Arabic, a stage change, an encrypted
/// attachment (its ciphertext entry and an envelope referencing it), the review's trust statements (a server-written
/// membership change, the focal point's root statement, its certificate of the expert and a revocation), and the
/// focal point's cosignature.
/// Checkpoints are signed after every entry (or every <c>checkpointEvery</c>), the last cosigned.
/// </summary>
internal sealed class BundleScenario : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private readonly List<(ArchiveEntry Entry, BundleAttachment? Attachment)> _entries = [];
    private readonly List<SignedCheckpoint> _checkpoints = [];
    private readonly MerkleFrontier _frontier = new();
    private readonly Dictionary<long, (byte[] BlobId, byte[] Ciphertext)> _attachments = [];
    private readonly Dictionary<long, Envelope> _envelopes = [];
    private readonly EpochKey _key;
    private ulong _managerCounter;
    private ulong _expertCounter;

    private BundleScenario(Guid review, int checkpointEvery, bool summaries = false)
    {
        Review = review;
        Summaries = summaries;
        CheckpointEvery = checkpointEvery;
        Signer = CheckpointSigner.Create();
        Manager = DeviceIdentity.Create();
        Expert = DeviceIdentity.Create();
        Outsider = DeviceIdentity.Create();
        var (record, key) = EpochRecordBuilder.Genesis(
            Manager, Review, ChannelId.Dialogue, [new MemberDevice(Manager.PublicKeys, MayManage: true), new MemberDevice(Expert.PublicKeys)], Start);
        _key = key;
        Add(ArchiveEntryKind.EpochRecord, record.Encoded.Span);
    }

    public Guid Review { get; }

    public int CheckpointEvery { get; }

    /// <summary>True when the log records envelopes by their summary, the bundle carrying each envelope beside its entry.</summary>
    public bool Summaries { get; }

    public CheckpointSigner Signer { get; }

    public DeviceIdentity Manager { get; }

    public DeviceIdentity Expert { get; }

    public DeviceIdentity Outsider { get; }

    public Guid ManagerAccount { get; } = Guid.NewGuid();

    public Guid ExpertAccount { get; } = Guid.NewGuid();

    public const string State = "AUT";

    public const string Nomination = "NV/AUT/2026/17";

    public byte[] AttachmentPlaintext { get; } = Encoding.UTF8.GetBytes("Annex 1: list of the competent authorities.\n");

    public const string AttachmentFileName = "annex-1.txt";

    public IReadOnlyList<SignedCheckpoint> Checkpoints => _checkpoints;

    public long TreeSize => _frontier.Size;

    /// <summary>The small standard log: seven entries, a checkpoint after each.</summary>
    public static async Task<BundleScenario> CreateAsync(int envelopes = 3, int checkpointEvery = 1, Guid? review = null, bool summaries = false)
    {
        var scenario = new BundleScenario(review ?? Guid.NewGuid(), checkpointEvery, summaries);
        scenario.Envelope(scenario.Manager, LanguageTag.English, "The review team thanks the State under review for its replies.");
        scenario.Add(ArchiveEntryKind.StageChange, "stage: dialogue"u8);
        await scenario.AttachmentAsync();
        for (var i = 2; i < envelopes; i++)
        {
            scenario.Envelope(i % 2 == 0 ? scenario.Expert : scenario.Manager, i % 3 == 0 ? LanguageTag.French : LanguageTag.Arabic,
                i % 3 == 0 ? $"Réponse complémentaire n° {i} <b>&amp;</b>" : $"شكرا على الردود المفصلة {i} <script>alert(1)</script>");
        }

        scenario.ReviewersOnly("Internal note of the reviewing experts: not for the State under review.");
        scenario.TrustStatements();
        scenario.Close();
        scenario.Cosign();
        scenario.Close();
        return scenario;
    }

    /// <summary>Appends an envelope sealed by <paramref name="sender"/>.</summary>
    public void Envelope(DeviceIdentity sender, LanguageTag language, string text, Segment? extra = null)
    {
        var counter = sender == Manager ? ++_managerCounter : ++_expertCounter;
        var draft = new EnvelopeDraft
        {
            Review = Review,
            Channel = ChannelId.Dialogue,
            Kind = ItemKind.DialogueMessage,
            Language = language,
            Segments = extra is null ? [Segment.Text(text)] : [Segment.Text(text), extra],
        };
        AddEnvelope(EnvelopeSealer.Seal(sender, _key, counter, draft, Start.AddMinutes(_frontier.Size)));
    }

    // An Envelope entry: the whole envelope, or (Summaries) its summary with the envelope kept for the bundle.
    private void AddEnvelope(Envelope envelope)
    {
        if (Summaries)
        {
            _envelopes[_frontier.Size] = envelope;
        }

        Add(ArchiveEntryKind.Envelope, Summaries ? EnvelopeSummary.Of(envelope).Encode() : envelope.Encoded.Span);
    }

    /// <summary>The envelope kept beside a summary entry.</summary>
    public Envelope? EnvelopeBeside(long index) => _envelopes.GetValueOrDefault(index);

    /// <summary>
    /// Opens the <c>reviewers</c> channel with the manager as its only member and appends the manager's envelope in it:
    /// content the expert may not read.
    /// </summary>
    public void ReviewersOnly(string text)
    {
        var (record, key) = EpochRecordBuilder.Genesis(Manager, Review, ChannelId.Reviewers, [new MemberDevice(Manager.PublicKeys, MayManage: true)], Start);
        using (key)
        {
            Add(ArchiveEntryKind.EpochRecord, record.Encoded.Span);
            var draft = new EnvelopeDraft { Review = Review, Channel = ChannelId.Reviewers, Language = LanguageTag.English, Segments = [Segment.Text(text)] };
            AddEnvelope(EnvelopeSealer.Seal(Manager, key, 1, draft, Start.AddMinutes(_frontier.Size)));
        }
    }

    /// <summary>Appends an attachment's ciphertext entry (digest form) and the expert's envelope referencing it.</summary>
    public async Task AttachmentAsync()
    {
        using var ciphertext = new MemoryStream();
        var encrypted = await AttachmentEncryptor.EncryptAsync(new MemoryStream(AttachmentPlaintext), ciphertext, new AttachmentDescription(AttachmentFileName, "text/plain"));
        using var manifest = encrypted.Value!;
        var bytes = ciphertext.ToArray();
        var index = _frontier.Size;
        var entry = ArchiveEntry.CreateDigest(Review, index, ArchiveEntryKind.AttachmentCiphertext, Time(index), SHA256.HashData(bytes), bytes.Length);
        _attachments[index] = (manifest.CiphertextHash.ToArray(), bytes);
        Append(entry);
        Envelope(Expert, LanguageTag.French, "Veuillez trouver l'annexe 1 ci-jointe.", manifest.ToSegment());
    }

    /// <summary>
    /// Appends MembershipChange entries: the server's JSON record of the expert's device, then the manager's root
    /// statement for <see cref="State"/>, its certificate of the expert (history) and its revocation of the expert's
    /// device as lost (sequences 1 to 3).
    /// </summary>
    public void TrustStatements()
    {
        Add(ArchiveEntryKind.MembershipChange, Encoding.UTF8.GetBytes(
            $"{{\"format\":\"securedialogue-membership/v1\",\"event\":\"device-registered\",\"account\":\"{ExpertAccount}\",\"device\":\"{Expert.Id}\",\"card\":\"{Convert.ToBase64String(Expert.PublicKeys.Encode())}\"}}"));
        Add(ArchiveEntryKind.MembershipChange, TrustStatementBuilder.Root(Manager, Review, State, ManagerAccount, 1, Time(_frontier.Size), Nomination).Encoded.Span);
        Add(ArchiveEntryKind.MembershipChange, TrustStatementBuilder.Certify(
            Manager, Review, State, Expert.PublicKeys, ExpertAccount, CertifiedRole.Expert, CertificateFlags.History, 2, Time(_frontier.Size)).Encoded.Span);
        Add(ArchiveEntryKind.MembershipChange, TrustStatementBuilder.Revoke(
            Manager, Review, State, Expert.Id, ExpertAccount, RevocationReason.Lost, 3, Time(_frontier.Size)).Encoded.Span);
    }

    /// <summary>Appends the manager's cosignature of the latest checkpoint, and replaces that checkpoint by the cosigned one.</summary>
    public void Cosign()
    {
        var keys = new ArchiveKeyRing([Signer.LogKey()], [CosignerKey.ForDevice(Manager.PublicKeys)]);
        var latest = _checkpoints[^1];
        var view = new LogView(Review, keys, new FixedTime(Start.AddHours(2)));
        _ = view.Update(latest, []).Value;
        var cosigned = view.Cosign(Manager).Value!;
        _checkpoints[^1] = cosigned;
        Add(ArchiveEntryKind.Cosignature, cosigned.Encode());
    }

    public void Add(ArchiveEntryKind kind, ReadOnlySpan<byte> payload) =>
        Append(ArchiveEntry.Create(Review, _frontier.Size, kind, Time(_frontier.Size), payload));

    /// <summary>Appends a <c>Correction</c> or <c>Retraction</c> entry naming the earlier entry <paramref name="target"/>.</summary>
    public void Add(ArchiveEntryKind kind, ReadOnlySpan<byte> payload, long target) =>
        Append(ArchiveEntry.Create(Review, _frontier.Size, kind, Time(_frontier.Size), payload, target));

    /// <summary>Writes the bundle (ciphertexts inside, or only digests).</summary>
    public async Task<byte[]> WriteAsync(BundleAttachmentMode mode = BundleAttachmentMode.Ciphertexts, CheckpointSigner? sealer = null)
    {
        using var output = new MemoryStream();
        await WriteToAsync(output, mode, sealer);
        return output.ToArray();
    }

    public async Task<BundleWritten> WriteToAsync(Stream output, BundleAttachmentMode mode = BundleAttachmentMode.Ciphertexts, CheckpointSigner? sealer = null)
    {
        Close();
        var signer = sealer ?? Signer;
        var cards = new[] { Manager.PublicKeys, Expert.PublicKeys };
        var header = new BundleHeader(Review, Start.AddDays(2), mode, _frontier.Size, [signer.LogKey()], cards.Length, 0, _checkpoints.Count);
        var writer = await BundleWriter.CreateAsync(output, header, signer);
        foreach (var card in cards)
        {
            await writer.WriteDeviceCardAsync(card);
        }

        foreach (var checkpoint in _checkpoints)
        {
            await writer.WriteCheckpointAsync(checkpoint);
        }

        foreach (var (entry, _) in _entries)
        {
            BundleAttachment? attachment = null;
            if (mode == BundleAttachmentMode.Ciphertexts && _attachments.TryGetValue(entry.Index, out var blob))
            {
                attachment = new BundleAttachment(blob.BlobId, new MemoryStream(blob.Ciphertext));
            }

            if (_envelopes.TryGetValue(entry.Index, out var envelope))
            {
                await writer.WriteEnvelopeEntryAsync(entry, envelope);
                continue;
            }

            await writer.WriteEntryAsync(entry, attachment);
        }

        return await writer.CompleteAsync();
    }

    public IReadOnlyList<ArchiveEntry> Entries => [.. _entries.Select(e => e.Entry)];

    public (byte[] BlobId, byte[] Ciphertext)? AttachmentOf(long index) => _attachments.TryGetValue(index, out var a) ? a : null;

    public void Dispose()
    {
        _key.Dispose();
        Signer.Dispose();
        Manager.Dispose();
        Expert.Dispose();
        Outsider.Dispose();
    }

    private static DateTimeOffset Time(long index) => Start.AddMinutes(index);

    private void Append(ArchiveEntry entry)
    {
        _entries.Add((entry, null));
        _frontier.Append(entry.LeafHash());
        if (_frontier.Size % CheckpointEvery == 0)
        {
            _checkpoints.Add(Signer.Sign(ArchiveOrigin.ForReview(Review), _frontier.Size, _frontier.Root(), Start.AddHours(1).AddSeconds(_frontier.Size)));
        }
    }

    /// <summary>Closes the log: a checkpoint of the final size if the last one is older.</summary>
    public void Close()
    {
        if (_checkpoints.Count == 0 || _checkpoints[^1].TreeSize != _frontier.Size)
        {
            _checkpoints.Add(Signer.Sign(ArchiveOrigin.ForReview(Review), _frontier.Size, _frontier.Root(), Start.AddHours(1).AddSeconds(_frontier.Size)));
        }
    }

    // For every byte of the bundle, the entry whose records (entry, attachment, envelope) hold it; null outside entries.
    public static async Task<long?[]> EntryOwnersAsync(byte[] bytes)
    {
        var owners = new long?[bytes.Length];
        using var reader = new BundleReader(new MemoryStream(bytes));
        Assert.Equal(BundleReadStatus.Ok, await reader.ReadMagicAsync());
        long entry = -1;
        while (await reader.ReadFrameAsync() == BundleReadStatus.Ok)
        {
            var start = reader.RecordOffset;
            if (reader.Type == BundleRecordType.Entry)
            {
                entry++;
            }

            if (reader.Type == BundleRecordType.Attachment)
            {
                while (await reader.ReadChunkAsync() is { IsEmpty: false })
                {
                }
            }
            else
            {
                await reader.ReadBodyAsync();
            }

            if (reader.Type is BundleRecordType.Entry or BundleRecordType.Attachment or BundleRecordType.Envelope)
            {
                for (var i = start; i < reader.Position; i++)
                {
                    owners[i] = entry;
                }
            }
        }

        return owners;
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
