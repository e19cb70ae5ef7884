using System.Security.Cryptography;
using SecureDialogue.Cli.Tests.Infrastructure;
using SecureDialogue.Vault.Merkle;

namespace SecureDialogue.Cli.Tests.Verify;

public sealed class VerifyCommandTests : IDisposable
{
    // The Certificate Transparency reference tree (leaf 0 is the empty string), as in transparency-dev/merkle.
    private const string Root8 = "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328";
    private const string Root3 = "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77";
    private static readonly string[] s_leaf0Path =
    [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ];

    private readonly SdlgHarness _sdlg = new();

    public void Dispose() => _sdlg.Dispose();

    private static string Leaf0 => Convert.ToHexStringLower(SHA256.HashData([0x00]));

    [Fact]
    public async Task Inclusion_PublishedReferenceProof_Exit0()
    {
        // Act
        var result = await _sdlg.RunAsync(["verify", "inclusion", "--leaf-hash", Leaf0, "--index", "0", "--size", "8", "--root", Root8, .. Proofs(s_leaf0Path)]);

        // Assert
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("valid:", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1", "8")]
    [InlineData("0", "4")]
    [InlineData("8", "8")]
    public async Task Inclusion_WrongIndexOrSize_Exit1(string index, string size)
    {
        var result = await _sdlg.RunAsync(["verify", "inclusion", "--leaf-hash", Leaf0, "--index", index, "--size", size, "--root", Root8, .. Proofs(s_leaf0Path)]);
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("invalid:", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inclusion_FlippedProofHash_Exit1WithJsonVerdict()
    {
        var path = s_leaf0Path.ToArray();
        path[1] = "4" + path[1][1..];

        var result = await _sdlg.RunAsync(["--json", "verify", "inclusion", "--leaf-hash", Leaf0, "--index", "0", "--size", "8", "--root", Root8, .. Proofs(path)]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("\"valid\": false", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--root", "5DC9DA79A70659A9AD559CB701DED9A2AB9D823AAD2F4960CFE370EFF4604328")]
    [InlineData("--root", "5dc9")]
    [InlineData("--leaf-hash", "zz")]
    public async Task Inclusion_BadHex_Exit2(string option, string value)
    {
        string[] args = ["verify", "inclusion", "--leaf-hash", Leaf0, "--index", "0", "--size", "8", "--root", Root8];
        args[Array.IndexOf(args, option) + 1] = value;

        var result = await _sdlg.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("sdlg: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inclusion_MissingRequiredOption_Exit2()
    {
        var result = await _sdlg.RunAsync("verify", "inclusion", "--leaf-hash", Leaf0, "--index", "0");
        Assert.Equal(2, result.ExitCode);
    }

    [Fact]
    public async Task Consistency_EveryOldSizeOfAnElevenLeafTree_Exit0AndTamperedExit1()
    {
        var leaves = Enumerable.Range(0, 11).Select(i => MerkleHash.Leaf([(byte)i])).ToList();
        var newRoot = Convert.ToHexStringLower(MerkleTree.Root(leaves));
        for (var m = 1; m <= 11; m++)
        {
            var oldRoot = Convert.ToHexStringLower(MerkleTree.Root(leaves[..m]));
            var proof = MerkleTree.ConsistencyProof(leaves, m).Select(Convert.ToHexStringLower).ToArray();

            var ok = await _sdlg.RunAsync(["verify", "consistency", "--old-size", $"{m}", "--new-size", "11", "--old-root", oldRoot, "--new-root", newRoot, .. Proofs(proof)]);
            var rolledBack = await _sdlg.RunAsync(["verify", "consistency", "--old-size", "11", "--new-size", $"{m - 1}", "--old-root", newRoot, "--new-root", oldRoot]);

            Assert.True(ok.ExitCode == 0, $"m={m}: {ok.Out}{ok.Error}");
            Assert.Equal(1, rolledBack.ExitCode);
        }
    }

    [Fact]
    public async Task Consistency_ReferenceTreeThreeToEightWithWrongOldRoot_Exit1()
    {
        var leaves = ReferenceLeaves();
        var proof = MerkleTree.ConsistencyProof(leaves, 3).Select(Convert.ToHexStringLower).ToArray();
        Assert.Equal(Root3, Convert.ToHexStringLower(MerkleTree.Root(leaves[..3])));

        var good = await _sdlg.RunAsync(["verify", "consistency", "--old-size", "3", "--new-size", "8", "--old-root", Root3, "--new-root", Root8, .. Proofs(proof)]);
        var bad = await _sdlg.RunAsync(["verify", "consistency", "--old-size", "3", "--new-size", "8", "--old-root", Root8, "--new-root", Root8, .. Proofs(proof)]);

        Assert.Equal(0, good.ExitCode);
        Assert.Equal(1, bad.ExitCode);
    }

    [Fact]
    public async Task Consistency_FromEmptyTree_ValidOnlyWithEmptyRootAndNoProof()
    {
        var empty = Convert.ToHexStringLower(SHA256.HashData([]));

        var fromEmpty = await _sdlg.RunAsync("verify", "consistency", "--old-size", "0", "--new-size", "8", "--old-root", empty, "--new-root", Root8);
        var wrongEmpty = await _sdlg.RunAsync("verify", "consistency", "--old-size", "0", "--new-size", "8", "--old-root", Root8, "--new-root", Root8);
        var withProof = await _sdlg.RunAsync("verify", "consistency", "--old-size", "0", "--new-size", "8", "--old-root", empty, "--new-root", Root8, "--proof", Root8);

        Assert.Equal(0, fromEmpty.ExitCode);
        Assert.Equal(1, wrongEmpty.ExitCode);
        Assert.Equal(1, withProof.ExitCode);
    }

    private static string[] Proofs(IEnumerable<string> hashes) => [.. hashes.SelectMany(h => new[] { "--proof", h })];

    private static List<byte[]> ReferenceLeaves() =>
    [
        .. new[] { "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f" }
            .Select(h => MerkleHash.Leaf(Convert.FromHexString(h))),
    ];
}
