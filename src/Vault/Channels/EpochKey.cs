using System.Diagnostics;
using SecureDialogue.Vault.Interop;
using SecureDialogue.Vault.Primitives;
using SecureDialogue.Vault.Wire;

namespace SecureDialogue.Vault.Channels;

/// <summary>
/// The random 32-byte key of one epoch of one channel. Envelopes are not encrypted with it directly: the
/// envelope body key is <c>BLAKE2b-256(key = epoch key, personal "sdlg.env.key", input = empty)</c>.
/// </summary>
[DebuggerDisplay("EpochKey {Review}/{Channel}#{Epoch}")]
public sealed class EpochKey : IDisposable
{
    /// <summary>Key size in bytes.</summary>
    public const int Size = 32;

    private readonly SecureMemoryHandle _key;
    private readonly SecureMemoryHandle _envelopeKey;

    private EpochKey(Guid review, ChannelId channel, uint epoch, SecureMemoryHandle key)
    {
        Review = review;
        Channel = channel;
        Epoch = epoch;
        _key = key;
        _envelopeKey = Blake2b.DeriveKey(key, ProtocolConstants.EnvelopeKeyPersonal, ReadOnlySpan<byte>.Empty);
    }

    /// <summary>The review this key belongs to.</summary>
    public Guid Review { get; }

    /// <summary>The channel this key belongs to.</summary>
    public ChannelId Channel { get; }

    /// <summary>The epoch number.</summary>
    public uint Epoch { get; }

    internal SecureMemoryHandle EnvelopeKey => _envelopeKey;

    internal static EpochKey Generate(Guid review, ChannelId channel, uint epoch, IRandomSource random)
    {
        Span<byte> bytes = stackalloc byte[Size];
        try
        {
            random.Fill(bytes);
            return FromBytes(review, channel, epoch, bytes);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(bytes);
        }
    }

    internal static EpochKey FromBytes(Guid review, ChannelId channel, uint epoch, ReadOnlySpan<byte> bytes)
    {
        var handle = SecureMemoryHandle.CreateFrom(bytes);
        try
        {
            return new EpochKey(review, channel, epoch, handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The key commitment published in the epoch record: binds the key to its context.</summary>
    internal byte[] Commitment()
    {
        var input = new CanonicalWriter(64);
        input.WriteGuid(Review);
        input.WriteAscii(Channel.Value);
        input.WriteUInt32(Epoch);
        var commitment = new byte[32];
        Blake2b.KeyedHash(_key, ProtocolConstants.EpochKeyCommitmentPersonal, input.WrittenSpan, commitment);
        return commitment;
    }

    internal void Export(Span<byte> destination) => _key.Export(destination);

    /// <summary>Wipes and frees the key.</summary>
    public void Dispose()
    {
        _envelopeKey.Dispose();
        _key.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => nameof(EpochKey);
}
