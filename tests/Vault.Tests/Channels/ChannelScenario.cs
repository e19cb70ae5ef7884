using Microsoft.Extensions.Time.Testing;
using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Primitives;
using SecureDialogue.Vault.Wire;

namespace SecureDialogue.Vault.Tests.Channels;

/// <summary>
/// A review channel with a focal point (the trust anchor and manager), two members and an outsider, and helpers
/// to build records the way a hostile server or a misbehaving manager would.
/// </summary>
internal sealed class ChannelScenario : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    public ChannelScenario()
    {
        Manager = Own(DeviceIdentity.Create());
        Bob = Own(DeviceIdentity.Create());
        Carol = Own(DeviceIdentity.Create());
        Outsider = Own(DeviceIdentity.Create());
    }

    public Guid Review { get; } = Guid.Parse("6f1c2a4e-3b5d-4e8f-9a01-23456789abcd");

    public ChannelId Channel { get; } = ChannelId.Dialogue;

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 3, 14, 9, 26, 53, TimeSpan.Zero));

    /// <summary>The trust anchor; opens epoch 0 and manages the channel.</summary>
    public DeviceIdentity Manager { get; }

    public DeviceIdentity Bob { get; }

    public DeviceIdentity Carol { get; }

    /// <summary>A device that is never a member.</summary>
    public DeviceIdentity Outsider { get; }

    public MemberDevice[] Everyone => [new(Manager.PublicKeys, MayManage: true), new(Bob.PublicKeys), new(Carol.PublicKeys)];

    public T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    public EpochChain NewChain() => new(Review, Channel, [Manager.Id]);

    public ChannelKeyring NewKeyring(DeviceIdentity me, EpochChain chain) => Own(new ChannelKeyring(me, chain));

    public (EpochRecord Record, EpochKey Key) Genesis(IReadOnlyList<MemberDevice>? members = null, DeviceIdentity? author = null)
    {
        var result = EpochRecordBuilder.Genesis(author ?? Manager, Review, Channel, members ?? Everyone, Time.GetUtcNow());
        Own(result.Key);
        Time.Advance(TimeSpan.FromMinutes(1));
        return result;
    }

    public (EpochRecord Record, EpochKey Key) Next(
        EpochRecord previous, IReadOnlyList<MemberDevice> members, DeviceIdentity? author = null,
        ChannelKeyring? authorKeyring = null, IReadOnlyList<(DeviceId Device, uint FirstEpoch)>? historyFor = null)
    {
        var result = EpochRecordBuilder.Next(author ?? Manager, previous, members, Time.GetUtcNow(), authorKeyring, historyFor);
        Own(result.Key);
        Time.Advance(TimeSpan.FromMinutes(1));
        return result;
    }

    /// <summary>Accepts every record into a fresh chain from its encoding, as a client receiving them would.</summary>
    public (EpochChain Chain, List<EpochRecord> Records) Receive(params EpochRecord[] records)
    {
        var chain = NewChain();
        var accepted = new List<EpochRecord>();
        foreach (var record in records)
        {
            var result = chain.Accept(record.Encoded.Span);
            if (!result.IsSuccess)
            {
                throw new InvalidOperationException($"Test setup: epoch {record.Epoch} was refused with {result.Error}.");
            }

            accepted.Add(result.Value);
        }

        return (chain, accepted);
    }

    /// <summary>An epoch key chosen by the test, e.g. by a dishonest manager or an outsider.</summary>
    public EpochKey KeyOf(uint epoch, byte fill, ChannelId? channel = null)
    {
        var bytes = new byte[EpochKey.Size];
        bytes.AsSpan().Fill(fill);
        return Own(EpochKey.FromBytes(Review, channel ?? Channel, epoch, bytes));
    }

    /// <summary>
    /// Encodes and signs a record with exactly the given fields, bypassing the builder's checks: what a
    /// dishonest manager can produce with its own key. Decoded again so the record is what a client receives.
    /// </summary>
    public EpochRecord Forge(
        DeviceIdentity author, uint epoch, ReadOnlySpan<byte> previousHash, ReadOnlySpan<byte> commitment,
        IReadOnlyList<EpochMember> members, IReadOnlyList<HistoryGrant>? grants = null, Guid? review = null, ChannelId? channel = null)
    {
        var writer = new CanonicalWriter();
        writer.WriteBytes(ProtocolConstants.EpochRecordContext);
        var contextLength = writer.Length;
        EpochRecordCodec.WriteSignedPart(
            writer, review ?? Review, channel ?? Channel, epoch, previousHash, author.Id, Time.GetUtcNow(), commitment, members, grants ?? []);
        var signature = new byte[Ed25519.SignatureSize];
        author.Sign(writer.WrittenSpan, signature);
        byte[] encoded = [.. writer.WrittenSpan[contextLength..], .. signature];
        var decoded = EpochRecordCodec.Decode(encoded);
        return decoded.IsSuccess ? decoded.Value : throw new InvalidOperationException($"Test setup: forged record does not decode ({decoded.Error}).");
    }

    public static byte[] KeyBytes(EpochKey key)
    {
        var bytes = new byte[EpochKey.Size];
        key.Export(bytes);
        return bytes;
    }

    public void Dispose()
    {
        foreach (var item in Enumerable.Reverse(_owned))
        {
            item.Dispose();
        }
    }
}
