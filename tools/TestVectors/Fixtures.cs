using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.TestVectors;

/// <summary>
/// The fixed inputs of every vector: one review, one channel, three devices from fixed seeds, two epochs with
/// fixed keys and two envelopes. Byte patterns are counting sequences so that they are easy to type.
/// </summary>
internal static class Fixtures
{
    public static readonly Guid Review = Guid.Parse("8b2f6c1e-4a5d-4e7f-9c3b-2d1e0f6a7b8c");

    public static readonly ChannelId Channel = ChannelId.Dialogue;

    public static readonly DeviceSeeds[] Devices =
    [
        new("alice", "focal point of the State under review; opens the channel", Pattern(0x00, 32), Pattern(0x20, 32)),
        new("bob", "governmental expert of the State under review", Pattern(0x40, 32), Pattern(0x60, 32)),
        new("carol", "governmental expert of a reviewing State; joins in epoch 1", Pattern(0x80, 32), Pattern(0xa0, 32)),
    ];

    public static readonly EpochSpec[] Epochs =
    [
        new(0, "alice", Pattern(0xc0, 32), new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero),
            [("alice", true), ("bob", false)], []),
        new(1, "alice", Pattern(0xe0, 32), new DateTimeOffset(2026, 11, 23, 9, 15, 0, TimeSpan.Zero),
            [("alice", true), ("bob", false), ("carol", false)], [("carol", 0u)]),
    ];

    public static readonly EnvelopeSpec[] Envelopes =
    [
        new(
            "one-segment", "bob", 0, 1, Guid.Parse("0195f0a2-7c41-7d3e-8a6b-3c2d1e0f9a8b"), ItemKind.DialogueMessage, LanguageTag.English,
            new DateTimeOffset(2026, 11, 23, 9, 30, 0, 123, TimeSpan.Zero),
            [Segment.Text("The review team thanks the State under review for its detailed replies.")],
            [.. Pattern(0x11, 32), .. Pattern(0x91, 32)]),
        new(
            "three-segments", "bob", 1, 2, Guid.Parse("0195f0a2-7c41-7d3e-8a6b-3c2d1e0f9a8c"), ItemKind.QuestionnaireResponse, LanguageTag.Parse("fr-CH"),
            new DateTimeOffset(2026, 11, 23, 10, 5, 42, 500, TimeSpan.Zero),
            [
                Segment.Text("Réponses complémentaires du point focal."),
                Segment.QuestionnaireAnswer("UNTOC-5.1", "L'article 5 est transposé par la loi n° 2019-222 du 23 mars 2019."),
                Segment.FileReference(Pattern(0x30, 40)),
            ],
            [.. Pattern(0x21, 32), .. Pattern(0xa1, 32)]),
    ];

    public const string Passphrase = "Constructive dialogue, 2026 — révision";

    public static readonly byte[] KeyStoreSalt = Pattern(0x50, 16);

    public static readonly byte[] KeyStoreNonce = Pattern(0x70, 24);

    public static DeviceSeeds Device(string name) => Devices.Single(d => d.Name == name);

    public static DeviceIdentity Identity(string name)
    {
        var seeds = Device(name);
        return DeviceIdentity.FromSeeds(seeds.SigningSeed, seeds.AgreementSecret);
    }

    public static EpochKey EpochKey(uint epoch) => Vault.Channels.EpochKey.FromBytes(Review, Channel, epoch, Epochs[epoch].Key);

    public static byte[] Pattern(int start, int length) => [.. Enumerable.Range(start, length).Select(i => (byte)i)];
}

internal sealed record DeviceSeeds(string Name, string Role, byte[] SigningSeed, byte[] AgreementSecret);

internal sealed record EpochSpec(
    uint Epoch, string Author, byte[] Key, DateTimeOffset CreatedAt, (string Name, bool MayManage)[] Members, (string Recipient, uint FirstEpoch)[] HistoryGrants);

internal sealed record EnvelopeSpec(
    string Name, string Sender, uint Epoch, ulong Counter, Guid ClientMessageId, ItemKind Kind, LanguageTag Language, DateTimeOffset CreatedAt,
    Segment[] Segments, byte[] Random);
