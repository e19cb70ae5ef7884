using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.TestVectors;

/// <summary>
/// An <see cref="IRandomSource"/> that hands out fixed bytes in order, so sealing is reproducible. It throws
/// when asked for more than it holds or when not all of it was used, so a vector never silently depends on
/// bytes it does not list.
/// </summary>
internal sealed class ReplayRandom : IRandomSource
{
    private readonly byte[] _bytes;
    private int _position;

    public ReplayRandom(byte[] bytes) => _bytes = bytes;

    public void Fill(Span<byte> destination)
    {
        if (_bytes.Length - _position < destination.Length)
        {
            throw new InvalidOperationException($"The replayed randomness is exhausted ({_bytes.Length} bytes).");
        }

        _bytes.AsSpan(_position, destination.Length).CopyTo(destination);
        _position += destination.Length;
    }

    public void AssertConsumed()
    {
        if (_position != _bytes.Length)
        {
            throw new InvalidOperationException($"Only {_position} of {_bytes.Length} replayed random bytes were used.");
        }
    }
}
