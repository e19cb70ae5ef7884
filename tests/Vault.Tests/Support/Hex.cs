namespace SecureDialogue.Vault.Tests.Support;

/// <summary>Hex helpers for published test vectors, which are printed with spaces and colons.</summary>
internal static class Hex
{
    public static byte[] Decode(string text) =>
        Convert.FromHexString(text.Replace(" ", string.Empty, StringComparison.Ordinal)
            .Replace(":", string.Empty, StringComparison.Ordinal)
            .Replace("\n", string.Empty, StringComparison.Ordinal));

    public static string Encode(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
