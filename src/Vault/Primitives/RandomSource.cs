using System.Runtime.InteropServices;
using System.Security.Cryptography;
using SecureDialogue.Vault.Interop;

namespace SecureDialogue.Vault.Primitives;

/// <summary>Where every nonce, salt and key of the vault comes from.</summary>
internal interface IRandomSource
{
    void Fill(Span<byte> destination);
}

/// <summary>
/// libsodium's <c>randombytes_buf</c> (getrandom(2) on Linux) behind a health check: a draw of 16 bytes
/// or more that is all zero or repeats the previous draw means the generator failed, and the process must
/// not go on producing nonces or keys from it.
/// </summary>
internal sealed class RandomSource : IRandomSource
{
    public static readonly RandomSource Default = new(new SodiumRandom());

    // Personalisation of the health check's digest. Local to this process, never on the wire.
    private static readonly byte[] s_checkPersonal = Blake2b.Personal("sdlg.rng.check");

    private readonly IRandomSource _inner;
    private readonly Lock _lock = new();
    // Only a hash of the previous head is kept: the head itself may be the start of a key.
    private readonly byte[] _previous = new byte[32];
    private bool _hasPrevious;

    public RandomSource(IRandomSource inner) => _inner = inner;

    public void Fill(Span<byte> destination)
    {
        _inner.Fill(destination);
        if (destination.Length < 16)
        {
            return;
        }

        var head = destination[..16];
        // BLAKE2b-256 through libsodium (~0.1 µs): a one-shot SHA-256 through OpenSSL creates and frees a
        // digest context per call (~0.8 µs here), and every sealed envelope makes two draws.
        Span<byte> digest = stackalloc byte[32];
        Blake2b.Hash(s_checkPersonal, head, digest);
        lock (_lock)
        {
            if (!head.ContainsAnyExcept((byte)0) || (_hasPrevious && CryptographicOperations.FixedTimeEquals(digest, _previous)))
            {
                CryptographicOperations.ZeroMemory(destination);
                throw new RandomnessFailureException();
            }

            digest.CopyTo(_previous);
            _hasPrevious = true;
        }
    }

    private sealed class SodiumRandom : IRandomSource
    {
        public void Fill(Span<byte> destination)
        {
            Sodium.EnsureInitialized();
            if (!destination.IsEmpty)
            {
                Libsodium.randombytes_buf(ref MemoryMarshal.GetReference(destination), (nuint)destination.Length);
            }
        }
    }
}

/// <summary>The random generator produced output that cannot be random. Nothing was sealed.</summary>
public sealed class RandomnessFailureException : CryptographicException
{
    /// <summary>Creates the exception.</summary>
    public RandomnessFailureException()
        : base("The system random generator failed its health check; refusing to create nonces or keys.")
    {
    }
}
