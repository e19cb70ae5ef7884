using System.Diagnostics;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Archive.Bundles;
using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Merkle;

namespace SecureDialogue.Bench;

/// <summary>
/// Verifying a sealed bundle against checking only its signatures, in the same process, alternating
/// (<c>--bundle [entries] [rounds]</c>). The bundle: an epoch record, then envelopes of 1 KiB of text from two member
/// devices (100 distinct sealed envelopes, cycled), a checkpoint every 1000 entries and at the end, written to a
/// temporary file. "Full" is <see cref="BundleVerifier.VerifyAsync"/> (framing, entry decoding, leaf hashes, the
/// tree recomputed with a frontier and compared to every checkpoint, SHA-256 of the whole file for the seal, every
/// signature). "Signatures only" reads the same file with the same <see cref="BundleReader"/> and does the least a
/// signature check needs: decode each checkpoint and verify it, decode each entry and its envelope or epoch record
/// and verify that signature, and the seal's signature over the digest the reader computes anyway.
/// </summary>
internal static class BundleRun
{
    public static void Run(int entries, int rounds)
    {
        var path = Path.Combine(Path.GetTempPath(), $"sdlg-bench-{Guid.NewGuid():N}.sdlb");
        try
        {
            var build = Stopwatch.StartNew();
            using var signer = CheckpointSigner.Create();
            var size = Build(path, entries, signer);
            Console.WriteLine($"// * Bundle run: {entries} entries, {size / 1048576.0:F1} MiB, built in {build.Elapsed.TotalSeconds:F1} s; {rounds} alternating rounds *");
            var keys = new ArchiveKeyRing([signer.LogKey()]);
            Full(path);
            SignaturesOnly(path, keys);
            var full = new List<(double Wall, double Cpu)>();
            var signatures = new List<(double Wall, double Cpu)>();
            for (var r = 0; r < rounds; r++)
            {
                if (r % 2 == 0)
                {
                    full.Add(Time(() => Full(path)));
                    signatures.Add(Time(() => SignaturesOnly(path, keys)));
                }
                else
                {
                    signatures.Add(Time(() => SignaturesOnly(path, keys)));
                    full.Add(Time(() => Full(path)));
                }

                Console.WriteLine($"round {r}: full wall={full[^1].Wall:F2}s cpu={full[^1].Cpu:F2}s signatures-only wall={signatures[^1].Wall:F2}s cpu={signatures[^1].Cpu:F2}s");
            }

            var wallRatios = full.Zip(signatures, (f, s) => f.Wall / s.Wall).Order().ToArray();
            var cpuRatios = full.Zip(signatures, (f, s) => f.Cpu / s.Cpu).Order().ToArray();
            Console.WriteLine(
                $"bundle {entries} entries: full median wall={Median(full.Select(f => f.Wall)):F2}s cpu={Median(full.Select(f => f.Cpu)):F2}s " +
                $"({Median(full.Select(f => f.Wall)) * 1e6 / entries:F1} us/entry); signatures-only median wall={Median(signatures.Select(s => s.Wall)):F2}s " +
                $"cpu={Median(signatures.Select(s => s.Cpu)):F2}s; ratio wall={Median(wallRatios):F3} (min {wallRatios[0]:F3}, max {wallRatios[^1]:F3}) " +
                $"cpu={Median(cpuRatios):F3} (min {cpuRatios[0]:F3}, max {cpuRatios[^1]:F3}); goal <= 1.3");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static long Build(string path, int entries, CheckpointSigner signer)
    {
        var review = Guid.NewGuid();
        using var manager = DeviceIdentity.Create();
        using var expert = DeviceIdentity.Create();
        var time = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
        var (record, key) = EpochRecordBuilder.Genesis(manager, review, ChannelId.Dialogue, [new MemberDevice(manager.PublicKeys, MayManage: true), new MemberDevice(expert.PublicKeys)], time);
        using (key)
        {
            var text = new string('x', 1000);
            var envelopes = Enumerable.Range(0, 100).Select(i => EnvelopeSealer.Seal(i % 2 == 0 ? manager : expert, key, (ulong)(i + 1), new EnvelopeDraft
            {
                Review = review,
                Channel = ChannelId.Dialogue,
                Language = LanguageTag.English,
                Segments = [Segment.Text(text)],
            }, time).Encoded.ToArray()).ToArray();

            // First pass: the entries' leaf hashes give the checkpoints, which precede the entries in the bundle.
            ArchiveEntry Entry(long index) => index == 0
                ? ArchiveEntry.Create(review, 0, ArchiveEntryKind.EpochRecord, time, record.Encoded.Span)
                : ArchiveEntry.Create(review, index, ArchiveEntryKind.Envelope, time.AddSeconds(index), envelopes[index % envelopes.Length]);
            var origin = ArchiveOrigin.ForReview(review);
            var frontier = new MerkleFrontier();
            var checkpoints = new List<SignedCheckpoint>();
            for (long i = 0; i < entries; i++)
            {
                frontier.Append(Entry(i).LeafHash());
                if (frontier.Size % 1000 == 0 || frontier.Size == entries)
                {
                    checkpoints.Add(signer.Sign(origin, frontier.Size, frontier.Root(), time.AddDays(1)));
                }
            }

            using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            var header = new BundleHeader(review, time.AddDays(2), BundleAttachmentMode.DigestsOnly, entries, [signer.LogKey()], 2, 0, checkpoints.Count);
            var writer = BundleWriter.CreateAsync(file, header, signer).GetAwaiter().GetResult();
            writer.WriteDeviceCardAsync(manager.PublicKeys).GetAwaiter().GetResult();
            writer.WriteDeviceCardAsync(expert.PublicKeys).GetAwaiter().GetResult();
            foreach (var checkpoint in checkpoints)
            {
                writer.WriteCheckpointAsync(checkpoint).GetAwaiter().GetResult();
            }

            for (long i = 0; i < entries; i++)
            {
                writer.WriteEntryAsync(Entry(i)).GetAwaiter().GetResult();
            }

            return writer.CompleteAsync().GetAwaiter().GetResult().Size;
        }
    }

    private static void Full(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var result = BundleVerifier.VerifyAsync(file).GetAwaiter().GetResult();
        if (!result.IsValid)
        {
            throw new InvalidOperationException(result.Failure!.ToString());
        }
    }

    private static void SignaturesOnly(string path, ArchiveKeyRing keys) => SignaturesOnlyAsync(path, keys).GetAwaiter().GetResult();

    private static async Task SignaturesOnlyAsync(string path, ArchiveKeyRing keys)
    {
        using var reader = new BundleReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan));
        await reader.ReadMagicAsync();
        await reader.ReadFrameAsync();
        var header = BundleHeader.Decode((await reader.ReadBodyAsync())!.Value.Span).Value!;
        var cards = new Dictionary<DeviceId, DevicePublicKeys>();
        var verified = 0L;
        while (await reader.ReadFrameAsync() == BundleReadStatus.Ok)
        {
            var type = reader.Type;
            var digest = type == BundleRecordType.Seal ? reader.Digest() : null;
            var body = (await reader.ReadBodyAsync())!.Value;
            var ok = type switch
            {
                BundleRecordType.DeviceCard => DevicePublicKeys.Decode(body.Span).TryGetValue(out var card, out _) && cards.TryAdd(card.Id, card),
                BundleRecordType.Checkpoint => SignedCheckpoint.Parse(body.Span).Value!.Verify(keys, header.Origin).IsSuccess,
                BundleRecordType.Entry => EntrySignature(body, cards),
                BundleRecordType.Seal => Vault.Primitives.Ed25519.Verify(
                    header.CurrentKey.PublicKey, System.Text.Encoding.UTF8.GetBytes(BundleFormat.SealBody(header.Origin, header.TreeSize, digest)), body.Span[36..]),
                _ => true,
            };
            if (!ok)
            {
                throw new InvalidOperationException($"signature check failed at {reader.RecordOffset}");
            }

            verified++;
        }

        if (verified != 1 + 2 + header.CheckpointCount + header.TreeSize)
        {
            throw new InvalidOperationException("not every record was checked");
        }
    }

    private static bool EntrySignature(ReadOnlyMemory<byte> body, Dictionary<DeviceId, DevicePublicKeys> cards)
    {
        var entry = ArchiveEntry.Decode(body.Span).Value!;
        return entry.Kind switch
        {
            ArchiveEntryKind.Envelope => Envelope.Decode(entry.Payload).Value is { } envelope && EnvelopeVerifier.VerifySignature(envelope, cards[envelope.Header.Sender]),
            ArchiveEntryKind.EpochRecord => EpochRecord.Decode(entry.Payload.Span).Value!.HasValidAuthorSignature(),
            _ => true,
        };
    }

    private static (double Wall, double Cpu) Time(Action action)
    {
        GC.Collect();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        action();
        return (wall.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
