using System.Diagnostics;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Tests.Support;

namespace SecureDialogue.Vault.Tests.Archive;

/// <summary>
/// Security bar 17 for the archive: the checkpoint, entry, evidence and view-state parsers take random and
/// mutated input without throwing, within a time bound, with a typed error; a mutated checkpoint verifies
/// only if its tree head and the log's lines are intact (an added line of an unknown key is ignored, as
/// signed-note requires), and a mutated entry that still decodes re-encodes to exactly its bytes (one encoding per entry).
/// </summary>
public sealed class ArchiveFuzzTests : IDisposable
{
    private static readonly TimeSpan s_budget = TimeSpan.FromMilliseconds(500);

    private readonly CheckpointSigner _signer = ArchiveServerDouble.FixedSigner();
    private readonly ArchiveServerDouble _server;
    private readonly byte[] _checkpoint;
    private readonly byte[] _entry;

    public ArchiveFuzzTests()
    {
        _server = new ArchiveServerDouble(_signer, ArchiveServerDouble.NewTime());
        _server.AppendMessages(5);
        _checkpoint = _server.Checkpoint().Encode();
        _entry = ArchiveEntry.Create(ArchiveServerDouble.Review, 9, ArchiveEntryKind.Correction, ArchiveServerDouble.Start, "corrected text"u8, target: 2).Encode();
    }

    public void Dispose() => _signer.Dispose();

    [Fact]
    public void CheckpointParse_RandomBytes_TypedErrorNeverThrows()
    {
        var property = Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes =>
        {
            var ok = Mutation.Within(s_budget, () => SignedCheckpoint.Parse(bytes), out var result);
            return ok && (result.IsSuccess || result.Error != CheckpointError.None);
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000), property);
    }

    [Fact]
    public void CheckpointParse_RandomStrings_TypedErrorNeverThrows()
    {
        var property = Prop.ForAll(ArbMap.Default.ArbFor<string>(), text =>
        {
            var ok = Mutation.Within(s_budget, () => SignedCheckpoint.Parse(text ?? string.Empty), out var result);
            return ok && (result.IsSuccess || result.Error != CheckpointError.None);
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000), property);
    }

    [Fact]
    public void Checkpoint_MutationsOfASignedCheckpoint_VerifyOnlyWithTheSignedTreeHeadAndLinesIntact()
    {
        var keys = _server.Keys();
        var gen =
            from count in Gen.Choose(1, 4)
            from positions in Gen.Choose(0, int.MaxValue).ArrayOf(count)
            from values in ArbMap.Default.GeneratorFor<byte[]>()
            from insert in Gen.Elements("\n", "\u2014 ", " ", "=", "+", "\n\n", "A", "0").Select(Encoding.UTF8.GetBytes)
            select (positions, values, insert);

        var original = SignedCheckpoint.Parse(_checkpoint).Value!;
        var property = Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var mutated = Mutation.Apply(_checkpoint, t.positions, t.values, t.insert);
            var watch = Stopwatch.StartNew();
            var parsed = SignedCheckpoint.Parse(mutated);
            var verified = parsed.IsSuccess && parsed.Value.Verify(keys, ArchiveServerDouble.Origin).IsSuccess;
            var view = new LogView(ArchiveServerDouble.Review, keys, _server.Time);
            var update = view.Update(mutated, []);

            // Signed-note ignores lines of unknown keys, so a mutation that only adds such a line (a duplicated
            // line whose key ID was then changed, say) still verifies; anything that verifies has the original
            // tree head and the log's two original lines, unchanged.
            var intact = parsed.IsSuccess && parsed.Value.SameTreeHead(original) &&
                         original.Signatures.All(o => parsed.Value.Signatures.Any(s => s.Line == o.Line));
            return watch.Elapsed < s_budget && (!verified || intact) && update.IsSuccess == verified && !view.IsHalted &&
                   (parsed.IsSuccess || parsed.Error != CheckpointError.None);
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(3000), property);
    }

    [Fact]
    public void EntryDecode_RandomBytes_TypedErrorNeverThrows()
    {
        var property = Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes =>
        {
            var ok = Mutation.Within(s_budget, () => ArchiveEntry.Decode(bytes), out var result);
            return ok && (result.IsSuccess ? result.Value.Encode().AsSpan().SequenceEqual(bytes) : result.Error != ArchiveEntryError.None);
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(3000), property);
    }

    [Fact]
    public void EntryDecode_MutationsOfAValidEntry_TypedErrorOrCanonicalReencoding()
    {
        var gen =
            from count in Gen.Choose(1, 4)
            from positions in Gen.Choose(0, int.MaxValue).ArrayOf(count)
            from values in ArbMap.Default.GeneratorFor<byte[]>()
            from insert in ArbMap.Default.GeneratorFor<byte[]>()
            select (positions, values, insert);

        var property = Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var mutated = Mutation.Apply(_entry, t.positions, t.values, t.insert ?? []);
            var ok = Mutation.Within(s_budget, () => ArchiveEntry.Decode(mutated), out var result);
            return ok && (result.IsSuccess ? result.Value.Encode().AsSpan().SequenceEqual(mutated) : result.Error != ArchiveEntryError.None);
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(3000), property);
    }

    [Fact]
    public void EvidenceAndStateParsers_RandomAndMutatedJson_TypedErrorNeverThrows()
    {
        var view = new LogView(ArchiveServerDouble.Review, _server.Keys(), _server.Time);
        view.Update(_checkpoint, []);
        var fork = _server.Fork(2);
        fork.AppendMessages(3, "fork");
        view.Update(fork.Checkpoint(), []);
        var evidence = view.Evidence!.ToJson();
        var state = view.ExportState();

        var gen =
            from count in Gen.Choose(1, 3)
            from positions in Gen.Choose(0, int.MaxValue).ArrayOf(count)
            from values in ArbMap.Default.GeneratorFor<byte[]>()
            from insert in Gen.Elements("\"", "{", "]", "null", "1e999", "\\u0000", "[[[[[[[[[[").Select(Encoding.UTF8.GetBytes)
            from which in Gen.Choose(0, 1)
            select (positions, values, insert, which);

        var property = Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var mutated = Mutation.Apply(t.which == 0 ? evidence : state, t.positions, t.values, t.insert);
            var watch = Stopwatch.StartNew();
            var e = ArchiveEvidence.Parse(mutated);
            var s = LogView.Restore(mutated, ArchiveServerDouble.Review, _server.Keys(), _server.Time);
            return watch.Elapsed < s_budget && (e.IsSuccess || e.Error != CheckpointError.None) && (s.IsSuccess || s.Error != LogViewError.None);
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1500), property);

        var random = Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes =>
            !ArchiveEvidence.Parse(bytes).IsSuccess && !LogView.Restore(bytes, ArchiveServerDouble.Review, _server.Keys(), _server.Time).IsSuccess);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), random);
    }
}
