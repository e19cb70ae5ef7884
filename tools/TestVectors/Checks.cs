namespace SecureDialogue.TestVectors;

internal static class Checks
{
    /// <summary>The generator cross-checks its own intermediates against the library and stops on any mismatch.</summary>
    public static void That(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"Self-check failed: {what}.");
        }
    }

    public static void Equal(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual, string what) =>
        That(expected.SequenceEqual(actual), what);
}
