using System.Globalization;
using System.Text;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Archive.Bundles;
using SecureDialogue.Vault.Attachments;
using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Cli.Commands.Verify;

/// <summary>
/// Writes a verified bundle's readable transcript for one member device: <c>transcript.html</c> (every item in log
/// order, content HTML-escaped, <c>lang</c> and <c>dir</c> per item from its language tag, Arabic right to left)
/// and <c>attachments/</c> with the attachments this device may read. Epoch chains are rebuilt from the bundle's
/// records (epoch 0's author is the anchor: the bundle was verified, and certificates come with issue 6), keys
/// are unwrapped for this device, and every envelope is opened (signature, decryption, commitments) again.
/// Two streaming passes: items (memory: the current entry, the epoch keys and the manifests of readable
/// attachments), then the attachment ciphertexts, each decrypted and checked by <see cref="AttachmentDecryptor"/>.
/// </summary>
internal sealed class BundleTranscript : IDisposable
{
    public const string FileName = "transcript.html";
    public const string AttachmentsDirectory = "attachments";

    private static readonly HashSet<string> s_rightToLeft = new(StringComparer.OrdinalIgnoreCase) { "ar", "he", "fa", "ur", "ps", "yi", "dv", "ug", "ckb", "sd" };

    private readonly DeviceIdentity _me;
    private readonly string _bundlePath;
    private readonly string _directory;
    private readonly Dictionary<string, (ChannelKeyring Keyring, EpochChain Chain)> _channels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(long Item, AttachmentManifest Manifest)>> _manifests = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Offset, long Length)> _ciphertexts = new(StringComparer.Ordinal);
    private bool _member;

    public BundleTranscript(DeviceIdentity me, string bundlePath, string directory)
    {
        _me = me;
        _bundlePath = bundlePath;
        _directory = directory;
    }

    public long Readable { get; private set; }

    public long NotReadable { get; private set; }

    public int Attachments { get; private set; }

    /// <summary>Writes the transcript; false (nothing left in the directory) when this device is a member of no channel.</summary>
    public async Task<bool> WriteAsync(CancellationToken cancellationToken)
    {
        CreatePrivateDirectory(_directory);
        var path = Path.Combine(_directory, FileName);
        var temporary = path + ".part";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        // Plaintext: owner-only, like the key store.
        await using (var html = new StreamWriter(temporary, new UTF8Encoding(false), options))
        {
            await ItemsAsync(html, cancellationToken).ConfigureAwait(false);
        }

        if (!_member)
        {
            File.Delete(temporary);
            return false;
        }

        File.Move(temporary, path, overwrite: true);
        await AttachmentsAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public void Dispose()
    {
        foreach (var (keyring, _) in _channels.Values)
        {
            keyring.Dispose();
        }

        foreach (var manifest in _manifests.Values.SelectMany(m => m))
        {
            manifest.Manifest.Dispose();
        }
    }

    private async Task ItemsAsync(StreamWriter html, CancellationToken cancellationToken)
    {
        using var reader = new BundleReader(File.OpenRead(_bundlePath));
        await reader.ReadMagicAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadFrameAsync(cancellationToken).ConfigureAwait(false);
        var header = BundleHeader.Decode((await reader.ReadBodyAsync(cancellationToken).ConfigureAwait(false))!.Value.Span).Value!;
        await html.WriteLineAsync(Prologue(header)).ConfigureAwait(false);
        ArchiveEntry? summarised = null;
        while (await reader.ReadFrameAsync(cancellationToken).ConfigureAwait(false) == BundleReadStatus.Ok && reader.Type != BundleRecordType.Seal)
        {
            if (reader.Type == BundleRecordType.Attachment)
            {
                await NoteCiphertextAsync(reader, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var body = (await reader.ReadBodyAsync(cancellationToken).ConfigureAwait(false))!.Value;
            string? item;
            if (reader.Type == BundleRecordType.Envelope && summarised is { } described)
            {
                // The envelope beside a summary entry (the bundle verified, so it is the one the summary describes).
                item = Envelope(described, Vault.Envelopes.Envelope.Decode(body.ToArray()).Value!);
                summarised = null;
            }
            else if (reader.Type != BundleRecordType.Entry)
            {
                continue;
            }
            else
            {
                var entry = ArchiveEntry.Decode(body.Span).Value!;
                summarised = BundleFormat.IsSummaryEnvelopeEntry(entry) ? entry : null;
                item = summarised is null ? Item(header, entry) : null;
            }

            if (item is not null)
            {
                await html.WriteLineAsync(item).ConfigureAwait(false);
            }
        }

        await html.WriteLineAsync("</main>\n</body>\n</html>").ConfigureAwait(false);
    }

    private async Task NoteCiphertextAsync(BundleReader reader, CancellationToken cancellationToken)
    {
        var offset = reader.RecordOffset + BundleFormat.FrameSize + 32;
        var length = reader.Length - 32;
        var first = (await reader.ReadChunkAsync(cancellationToken).ConfigureAwait(false))!.Value;
        _ciphertexts.TryAdd(Convert.ToHexStringLower(first.Span[..32]), (offset, length));
        while (await reader.ReadChunkAsync(cancellationToken).ConfigureAwait(false) is { IsEmpty: false })
        {
        }
    }

    private static string Meta(ArchiveEntry entry) =>
        string.Create(CultureInfo.InvariantCulture, $"Entry {entry.Index} · received {entry.ReceivedAt.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)}");

    private string? Item(BundleHeader header, ArchiveEntry entry)
    {
        var meta = Meta(entry);
        switch (entry.Kind)
        {
            case ArchiveEntryKind.EpochRecord:
                var record = EpochRecord.Decode(entry.Payload.Span).Value!;
                if (!_channels.TryGetValue(record.Channel.Value, out var channel))
                {
                    var chain = new EpochChain(header.Review, record.Channel, [record.Author]);
                    channel = (new ChannelKeyring(_me, chain), chain);
                    _channels[record.Channel.Value] = channel;
                }

                var accepted = channel.Chain.Accept(record);
                var unlocked = accepted.IsSuccess && channel.Keyring.Unlock(accepted.Value).IsSuccess;
                _member |= unlocked;
                return Note(entry.Index, $"{meta} · channel {record.Channel} · epoch {record.Epoch} opened by device {record.Author} " +
                                         $"for {record.Members.Length} devices{(unlocked ? " (this device holds its key)" : string.Empty)}");
            case ArchiveEntryKind.Envelope:
                return Envelope(entry, Vault.Envelopes.Envelope.Decode(entry.Payload).Value!);
            case ArchiveEntryKind.AttachmentCiphertext:
                return Note(entry.Index, $"{meta} · attachment ciphertext, {entry.PayloadLength} bytes, SHA-256 {Convert.ToHexStringLower(entry.PayloadDigest)}");
            case ArchiveEntryKind.Correction or ArchiveEntryKind.Retraction:
                return Note(entry.Index, $"{meta} · {Amendment(entry)}");
            case ArchiveEntryKind.Cosignature:
                return Note(entry.Index, $"{meta} · cosignature of a checkpoint");
            default:
                return Note(entry.Index, $"{meta} · {entry.Kind}{TextOf(entry)}");
        }
    }

    // An envelope entry's item: the whole envelope of the entry, or the one beside its summary (section 17.1).
    private string Envelope(ArchiveEntry entry, Envelope envelope)
    {
        var meta = Meta(entry);
        var header = envelope.Header;
        var about = $"{meta} · channel {header.Channel} · from device {header.Sender} · {header.Kind} · {header.Language} · written {header.CreatedAt.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)}";
        if (!_channels.TryGetValue(header.Channel.Value, out var channel) ||
            !EnvelopeOpener.Open(envelope, channel.Keyring, historical: true).TryGetValue(out var opened, out var error))
        {
            NotReadable++;
            return Note(entry.Index, $"{about} · not readable by this device");
        }

        Readable++;
        var language = header.Language.Value;
        var primary = language.Split('-')[0];
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<article class=\"item\" id=\"entry-{entry.Index}\" lang=\"{Escape(language)}\" dir=\"{(s_rightToLeft.Contains(primary) ? "rtl" : "ltr")}\">\n");
        html.Append(CultureInfo.InvariantCulture, $"<header lang=\"en\" dir=\"ltr\">{Escape(about)}</header>\n");
        foreach (var segment in opened.Segments)
        {
            switch (segment.Kind)
            {
                case SegmentKind.Text:
                    html.Append(CultureInfo.InvariantCulture, $"<p>{Escape(segment.TextContent!)}</p>\n");
                    break;
                case SegmentKind.QuestionnaireAnswer:
                    html.Append(CultureInfo.InvariantCulture, $"<p><span class=\"question\" dir=\"ltr\">{Escape(segment.QuestionReference!)}</span> {Escape(segment.TextContent!)}</p>\n");
                    break;
                case SegmentKind.FileReference when AttachmentManifest.FromSegment(segment).TryGetValue(out var manifest, out _):
                    var name = string.Create(CultureInfo.InvariantCulture, $"{entry.Index}-{Path.GetFileName(manifest.FileName)}");
                    if (!_manifests.TryGetValue(manifest.BlobId, out var list))
                    {
                        _manifests[manifest.BlobId] = list = [];
                    }

                    list.Add((entry.Index, manifest));
                    html.Append(CultureInfo.InvariantCulture,
                        $"<p class=\"attachment\"><a href=\"{AttachmentsDirectory}/{Uri.EscapeDataString(name)}\">{Escape(manifest.FileName)}</a> ({manifest.PlaintextLength} bytes, {Escape(manifest.MediaType)})</p>\n");
                    break;
                default:
                    html.Append("<p class=\"note\" lang=\"en\" dir=\"ltr\">(an attachment reference that does not decode)</p>\n");
                    break;
            }
        }

        html.Append("</article>");
        return html.ToString();
    }

    private async Task AttachmentsAsync(CancellationToken cancellationToken)
    {
        var directory = Path.Combine(_directory, AttachmentsDirectory);
        foreach (var (blobId, items) in _manifests)
        {
            if (!_ciphertexts.TryGetValue(blobId, out var location))
            {
                continue;
            }

            foreach (var (item, manifest) in items)
            {
                CreatePrivateDirectory(directory);
                await using var file = File.OpenRead(_bundlePath);
                file.Position = location.Offset;
                await using var ciphertext = new SliceStream(file, location.Length);
                var target = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"{item}-{Path.GetFileName(manifest.FileName)}"));
                if (await AttachmentDecryptor.DecryptToFileAsync(manifest, ciphertext, target, overwrite: true, cancellationToken: cancellationToken).ConfigureAwait(false) == AttachmentError.None)
                {
                    Attachments++;
                }
            }
        }
    }

    private static void CreatePrivateDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    // An author's correction or retraction (docs/protocol.md 21; the verifier checked it), or a publication withdrawal.
    private static string Amendment(ArchiveEntry entry)
    {
        if (entry.Form != ArchivePayloadForm.Inline || !Vault.Amendments.AmendmentCodec.Decode(entry.Payload.Span).TryGetValue(out var statement, out _))
        {
            return $"{entry.Kind} of entry {entry.Target}{TextOf(entry)}";
        }

        var amendment = statement.Amendment;
        return amendment.Action == Vault.Amendments.AmendmentAction.Correct
            ? string.Create(CultureInfo.InvariantCulture,
                $"entry {entry.Target} corrected by its author (device {amendment.Author}): the corrected text is that device's item with counter {amendment.ReplacementCounter} in channel {amendment.Channel}")
            : $"entry {entry.Target} retracted by its author (device {amendment.Author}); it stays in the archive";
    }

    private static string TextOf(ArchiveEntry entry)
    {
        if (entry.Form != ArchivePayloadForm.Inline || entry.Payload.IsEmpty)
        {
            return string.Empty;
        }

        return System.Text.Unicode.Utf8.IsValid(entry.Payload.Span) && entry.Payload.Length <= 4096
            ? ": " + Encoding.UTF8.GetString(entry.Payload.Span)
            : string.Create(CultureInfo.InvariantCulture, $" ({entry.Payload.Length} bytes)");
    }

    private static string Note(long index, string text) =>
        string.Create(CultureInfo.InvariantCulture, $"<p class=\"note\" id=\"entry-{index}\" lang=\"en\" dir=\"ltr\">{Escape(text)}</p>");

    private string Prologue(BundleHeader header) => $"""
        <!DOCTYPE html>
        <html lang="en" dir="ltr">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
        <title>Review {Escape(header.Review.ToString("D"))}: archive transcript</title>
        <style>body{"{"}font-family:sans-serif;max-width:50em;margin:auto{"}"} .note{"{"}color:#555;font-size:.9em{"}"} .item{"{"}border-left:3px solid #36c;padding:0 1em;margin:1em 0{"}"} .item header{"{"}color:#555;font-size:.9em{"}"}</style>
        </head>
        <body>
        <h1>Review {Escape(header.Review.ToString("D"))}: archive transcript</h1>
        <p class="note">{Escape($"Sealed bundle of {header.TreeSize} entries, written {header.CreatedAt.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)}, verified offline. Read with device {_me.Id}: items this device could not decrypt are marked, never shown.")}</p>
        <main>
        """;

    // The five characters that matter in text and quoted attributes; everything else stays as written (UTF-8 page).
    private static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            _ = c switch
            {
                '&' => builder.Append("&amp;"),
                '<' => builder.Append("&lt;"),
                '>' => builder.Append("&gt;"),
                '"' => builder.Append("&quot;"),
                '\'' => builder.Append("&#39;"),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }

    /// <summary>A read-only window of <c>length</c> bytes from the inner stream's current position.</summary>
    private sealed class SliceStream(Stream inner, long length) : Stream
    {
        private readonly long _length = length;
        private long _remaining = length;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => _length;

        public override long Position { get => _length - _remaining; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer[..(int)Math.Min(buffer.Length, _remaining)]);
            _remaining -= read;
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _remaining)], cancellationToken).ConfigureAwait(false);
            _remaining -= read;
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
