using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.Vault.Tests.Support;

/// <summary>A broken generator that only ever produces zero bytes.</summary>
internal sealed class ZeroRandom : IRandomSource
{
    public void Fill(Span<byte> destination) => destination.Clear();
}

/// <summary>A broken generator stuck on one non-zero output.</summary>
internal sealed class RepeatingRandom : IRandomSource
{
    public void Fill(Span<byte> destination) => destination.Fill(0x5a);
}

/// <summary>A broken generator whose first 16 bytes are zero and the rest is not.</summary>
internal sealed class ZeroHeadRandom : IRandomSource
{
    public void Fill(Span<byte> destination)
    {
        destination.Fill(0xc3);
        destination[..Math.Min(16, destination.Length)].Clear();
    }
}

/// <summary>A deterministic, healthy-looking generator: every draw differs from the previous one.</summary>
internal sealed class CountingRandom : IRandomSource
{
    private byte _counter;

    public void Fill(Span<byte> destination)
    {
        _counter++;
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = (byte)(_counter + (i * 7) + 1);
        }
    }
}
