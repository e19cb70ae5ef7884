using System.Text.Json.Nodes;
using SecureDialogue.Vault.Envelopes;

namespace SecureDialogue.TestVectors;

internal static class PaddingVectors
{
    private static readonly int[] s_lengths =
    [
        0, 1, 35, 255, 256, 257, 271, 272, 273, 300, 511, 512, 513, 1000, 1024, 1025, 1500, 4095, 4096, 4097, 10_000,
        65_535, 65_536, 65_537, 100_000, 1_000_000, 1_048_575, 1_048_576,
    ];

    public static JsonObject Build()
    {
        var examples = new JsonArray();
        foreach (var length in s_lengths)
        {
            var padded = Padding.PaddedLength(length);
            examples.Add(new JsonObject { ["length"] = length, ["padded_length"] = padded });
        }

        return new JsonObject
        {
            ["description"] = "Padme padded lengths (Padding.PaddedLength) of envelope plaintexts: lengths up to the minimum pad to it; above, E = floor(log2 L), S = floor(log2 E) + 1, mask = 2^(E-S) - 1, padded = (L + mask) & ~mask.",
            ["minimum_padded_length"] = Padding.MinimumPaddedLength,
            ["max_padded_length"] = Padding.MaxPaddedLength,
            ["examples"] = examples,
        };
    }
}
