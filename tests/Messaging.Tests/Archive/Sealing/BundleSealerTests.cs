using Microsoft.Extensions.Logging.Abstractions;
using SecureDialogue.Messaging.Archive.Sealing;
using SecureDialogue.Messaging.Tests.Blobs;
using SecureDialogue.Testing.Bundles;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Archive.Bundles;

namespace SecureDialogue.Messaging.Tests.Archive.Sealing;

[Collection(nameof(CephRgwFixture))]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BundleSealerTests(CephRgwFixture ceph) : IDisposable
{
    private readonly DirectoryInfo _root = System.IO.Directory.CreateTempSubdirectory("sdlg-sealer-");

    public void Dispose()
    {
        foreach (var file in _root.GetFiles("*", SearchOption.AllDirectories))
        {
            file.UnixFileMode |= UnixFileMode.UserWrite;
        }

        _root.Delete(recursive: true);
    }

    [Fact]
    public async Task Seal_Local_ReceiptMatchesAVerifiedBundle()
    {
        using var scenario = await BundleScenario.CreateAsync();
        var store = new LocalSealedBundleStore(_root.FullName);
        var sealer = Sealer(scenario, store);

        var receipt = await sealer.SealAsync(scenario.Review, BundleAttachmentMode.Ciphertexts);

        Assert.NotNull(receipt);
        Assert.Equal(scenario.TreeSize, receipt.TreeSize);
        Assert.Equal(scenario.Checkpoints[^1].RootHash.ToArray(), receipt.Root);
        Assert.StartsWith($"reviews/{scenario.Review:D}/", receipt.Stored.Key, StringComparison.Ordinal);
        Assert.EndsWith($"-{scenario.TreeSize}.sdlb", receipt.Stored.Key, StringComparison.Ordinal);
        await using var stored = await store.OpenReadAsync(receipt.Stored);
        var verification = await BundleVerifier.VerifyAsync(stored, new BundleVerifierOptions { TrustedLogKeys = [scenario.Signer.LogKey()] });
        Assert.True(verification.IsValid, verification.Failure?.ToString());
        Assert.Equal(1, verification.Summary!.AttachmentCiphertexts);
        Assert.Equal(receipt.SealDigest, verification.Summary.SealDigest);
        Assert.Equal(SealCheck.Intact, await store.CheckAsync(receipt.Stored));
    }

    [Fact]
    public async Task Seal_S3_StoredUnderComplianceAndVerifies()
    {
        using var scenario = await BundleScenario.CreateAsync();
        var tests = new S3SealedBundleStoreTests(ceph);
        var store = tests.CreateStore(years: 2);
        var sealer = Sealer(scenario, store);

        var receipt = await sealer.SealAsync(scenario.Review, BundleAttachmentMode.DigestsOnly);

        Assert.NotNull(receipt!.Stored.VersionId);
        Assert.Equal(SealCheck.Intact, await store.CheckAsync(receipt.Stored));
        await using var stored = await store.OpenReadAsync(receipt.Stored);
        using var copy = new MemoryStream();
        await stored.CopyToAsync(copy);
        copy.Position = 0;
        var verification = await BundleVerifier.VerifyAsync(copy);
        Assert.True(verification.IsValid, verification.Failure?.ToString());
        Assert.Equal(BundleAttachmentMode.DigestsOnly, verification.Summary!.AttachmentMode);
    }

    [Fact]
    public async Task Seal_CheckpointsOfAnotherKey_RefusedAndNothingStored()
    {
        using var scenario = await BundleScenario.CreateAsync();
        using var other = CheckpointSigner.Create();
        var store = new LocalSealedBundleStore(_root.FullName);
        var source = Source(scenario, logKey: other.LogKey());
        var sealer = new BundleSealer(source, store, other, new SealedStorageOptions(), TimeProvider.System, NullLogger<BundleSealer>.Instance);

        var e = await Assert.ThrowsAsync<SealingException>(() => sealer.SealAsync(scenario.Review, BundleAttachmentMode.Ciphertexts));

        Assert.Contains("NotSigned", e.Message, StringComparison.Ordinal);
        Assert.Empty(System.IO.Directory.GetFiles(_root.FullName, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Seal_MissingAttachmentCiphertext_RefusedWithReason()
    {
        using var scenario = await BundleScenario.CreateAsync();
        var store = new LocalSealedBundleStore(_root.FullName);
        var source = Source(scenario, withAttachments: false);
        var sealer = new BundleSealer(source, store, scenario.Signer, new SealedStorageOptions(), TimeProvider.System, NullLogger<BundleSealer>.Instance);

        var e = await Assert.ThrowsAsync<SealingException>(() => sealer.SealAsync(scenario.Review, BundleAttachmentMode.Ciphertexts));

        Assert.Contains("seal with digests only", e.Message, StringComparison.Ordinal);
        Assert.Empty(System.IO.Directory.GetFiles(_root.FullName, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Seal_UnknownReview_Null()
    {
        using var scenario = await BundleScenario.CreateAsync();

        Assert.Null(await Sealer(scenario, new LocalSealedBundleStore(_root.FullName)).SealAsync(Guid.NewGuid(), BundleAttachmentMode.DigestsOnly));
    }

    private static BundleSealer Sealer(BundleScenario scenario, ISealedBundleStore store) =>
        new(Source(scenario), store, scenario.Signer, new SealedStorageOptions(), TimeProvider.System, NullLogger<BundleSealer>.Instance);

    private static InMemoryArchiveSource Source(BundleScenario scenario, ArchiveLogKey? logKey = null, bool withAttachments = true)
    {
        var snapshot = new ArchiveSnapshot(
            scenario.TreeSize, [logKey ?? scenario.Signer.LogKey()], scenario.Checkpoints, [scenario.Manager.PublicKeys, scenario.Expert.PublicKeys], []);
        var attachments = scenario.Entries.Where(e => withAttachments && scenario.AttachmentOf(e.Index) is not null)
            .ToDictionary(e => e.Index, e => scenario.AttachmentOf(e.Index)!.Value);
        return new InMemoryArchiveSource(scenario.Review, snapshot, scenario.Entries, attachments);
    }
}
