using System.Diagnostics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SecureDialogue.Vault.Attachments;

namespace SecureDialogue.Vault.Tests.Attachments;

/// <summary>Security bar item 17 for manifests: hostile bytes give a typed error in bounded time, never an exception.</summary>
public sealed class AttachmentManifestFuzzTests
{
    private static readonly byte[] s_valid = BuildValid();

    [Fact]
    public void Decode_RandomBytes_NeverThrowsAndOnlyCanonicalInputsSucceed()
    {
        var property = Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes => DecodesCanonicallyOrFails(bytes));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(3000), property);
    }

    [Property(MaxTest = 3000)]
    public bool Decode_RandomMutationsOfValidManifest_TypedErrorOrCanonicalReencoding(int[] positions, byte[] values, byte[] insert) =>
        DecodesCanonicallyOrFails(Support.Mutation.Apply(s_valid, positions ?? [], values ?? [], insert ?? []));

    [Fact]
    public void Decode_Boundaries_TypedErrors()
    {
        Assert.True(AttachmentManifest.Decode(s_valid).IsSuccess);
        Assert.Equal(AttachmentError.Malformed, AttachmentManifest.Decode([]).Error);
        Assert.Equal(AttachmentError.Malformed, AttachmentManifest.Decode(new byte[AttachmentManifest.MaxEncodedSize + 1]).Error);
        Assert.Equal(AttachmentError.Malformed, AttachmentManifest.Decode([.. s_valid, 0]).Error);
        Assert.Equal(AttachmentError.Malformed, AttachmentManifest.Decode(s_valid.AsSpan(0, s_valid.Length - 1)).Error);
        Assert.Equal(AttachmentError.UnsupportedVersion, AttachmentManifest.Decode([2, .. s_valid[1..]]).Error);
        Assert.Equal(AttachmentError.UnsupportedVersion, AttachmentManifest.Decode([1, 2, .. s_valid[2..]]).Error);
        var zeroName = (byte[])s_valid.Clone();
        zeroName[2] = 0;
        zeroName[3] = 0;
        Assert.Equal(AttachmentError.Malformed, AttachmentManifest.Decode(zeroName).Error);
        var slashName = (byte[])s_valid.Clone();
        slashName[4] = (byte)'/';
        Assert.Equal(AttachmentError.Malformed, AttachmentManifest.Decode(slashName).Error);
        var upperType = (byte[])s_valid.Clone();
        upperType[4 + 5 + 1] = (byte)'A';
        Assert.Equal(AttachmentError.Malformed, AttachmentManifest.Decode(upperType).Error);
        var chunkSize = (byte[])s_valid.Clone();
        chunkSize[4 + 5 + 1 + 15 + 8 + 32 + 2] = 0x02; // 131072
        Assert.Equal(AttachmentError.Malformed, AttachmentManifest.Decode(chunkSize).Error);
    }

    private static bool DecodesCanonicallyOrFails(byte[] bytes)
    {
        var watch = Stopwatch.StartNew();
        var result = AttachmentManifest.Decode(bytes);
        var bounded = watch.ElapsedMilliseconds < 500;
        if (!result.IsSuccess)
        {
            return bounded && result.Error is AttachmentError.Malformed or AttachmentError.UnsupportedVersion;
        }

        using var manifest = result.Value;
        return bounded && manifest.Encode().AsSpan().SequenceEqual(bytes);
    }

    private static byte[] BuildValid()
    {
        var (manifest, _) = AttachmentFixture.EncryptAsync(AttachmentFixture.Plaintext(1234), new AttachmentDescription("a.pdf", "application/pdf"))
            .GetAwaiter().GetResult();
        using (manifest)
        {
            return manifest.Encode();
        }
    }
}
