using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Vault.Tests.Envelopes;

/// <summary>A review channel with three member devices and their keyrings at epoch 0.</summary>
internal sealed class EnvelopeFixture : IDisposable
{
    public EnvelopeFixture(ChannelId? channel = null)
    {
        Channel = channel ?? ChannelId.Dialogue;
        Manager = DeviceIdentity.Create();
        Expert = DeviceIdentity.Create();
        Reviewer = DeviceIdentity.Create();
        var (record, key) = EpochRecordBuilder.Genesis(
            Manager, Review, Channel,
            [new MemberDevice(Manager.PublicKeys, MayManage: true), new MemberDevice(Expert.PublicKeys), new MemberDevice(Reviewer.PublicKeys)],
            Now);
        Genesis = record;
        ManagerKeyring = KeyringFor(Manager);
        ManagerKeyring.AddAuthored(ManagerKeyring.Chain.Records[0], key);
        ExpertKeyring = KeyringFor(Expert);
        ReviewerKeyring = KeyringFor(Reviewer);
    }

    public static DateTimeOffset Now { get; } = new(2026, 11, 23, 9, 30, 0, TimeSpan.Zero);

    public Guid Review { get; } = Guid.NewGuid();

    public ChannelId Channel { get; }

    public DeviceIdentity Manager { get; }

    public DeviceIdentity Expert { get; }

    public DeviceIdentity Reviewer { get; }

    public EpochRecord Genesis { get; }

    public ChannelKeyring ManagerKeyring { get; }

    public ChannelKeyring ExpertKeyring { get; }

    public ChannelKeyring ReviewerKeyring { get; }

    public ChannelKeyring KeyringFor(DeviceIdentity device, ChannelId? channel = null)
    {
        var chain = new EpochChain(Review, channel ?? Channel, [Manager.Id]);
        var genesis = Genesis;
        if (channel is { } other && other != Channel)
        {
            var (record, key) = EpochRecordBuilder.Genesis(
                Manager, Review, other,
                [new MemberDevice(Manager.PublicKeys, MayManage: true), new MemberDevice(Expert.PublicKeys), new MemberDevice(Reviewer.PublicKeys)],
                Now);
            key.Dispose();
            genesis = record;
        }

        var accepted = chain.Accept(genesis.Encoded.Span);
        Assert.True(accepted.IsSuccess, accepted.ToString());
        var keyring = new ChannelKeyring(device, chain);
        if (genesis.FindMember(device.Id) is not null)
        {
            Assert.True(keyring.Unlock(chain.Records[0]).IsSuccess);
        }

        return keyring;
    }

    public EnvelopeDraft Draft(params string[] paragraphs) => new()
    {
        Review = Review,
        Channel = Channel,
        Kind = ItemKind.RequestForClarification,
        Language = LanguageTag.French,
        Segments = paragraphs.Select(Segment.Text).ToList(),
    };

    public Envelope SealFromExpert(ulong counter, params string[] paragraphs) =>
        EnvelopeSealer.Seal(Expert, ExpertKeyring.Current!, counter, Draft(paragraphs), Now);

    public void Dispose()
    {
        ManagerKeyring.Dispose();
        ExpertKeyring.Dispose();
        ReviewerKeyring.Dispose();
        Manager.Dispose();
        Expert.Dispose();
        Reviewer.Dispose();
    }
}
