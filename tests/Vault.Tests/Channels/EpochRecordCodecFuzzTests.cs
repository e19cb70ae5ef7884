using System.Buffers.Binary;
using System.Diagnostics;
using FsCheck;
using FsCheck.Xunit;
using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Tests.Support;
using Xunit;

namespace SecureDialogue.Vault.Tests.Channels;

/// <summary>Decode and Accept on random bytes and on mutations of valid records: a typed result, never an exception, quickly.</summary>
public sealed class EpochRecordCodecFuzzTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);

    // Built once for all properties; the devices live as long as the test process.
    private static readonly Lazy<ValidRecords> Valid = new(() => new ValidRecords());

    [Property(MaxTest = 300)]
    public bool Decode_RandomBytes_ReturnsTypedErrorQuickly(byte[] data)
    {
        // Arrange
        var input = data ?? [];

        // Act
        var quick = Mutation.Within(Budget, () => EpochRecordCodec.Decode(input), out var result);

        // Assert
        return quick && !result.IsSuccess && result.Error != EpochError.None;
    }

    [Property(MaxTest = 300)]
    public bool Decode_RandomBytesAfterValidVersionAndSuite_ReturnsTypedErrorQuickly(byte[] data)
    {
        // Arrange
        byte[] input = [ProtocolConstants.Version, ProtocolConstants.Suite, .. data ?? []];

        // Act
        var quick = Mutation.Within(Budget, () => EpochRecordCodec.Decode(input), out var result);

        // Assert
        return quick && !result.IsSuccess && result.Error != EpochError.None;
    }

    [Property(MaxTest = 400)]
    public bool DecodeAndAccept_MutatedValidRecord_NeverThrowsAndAcceptsOnlyTheOriginal(int[] positions, byte[] values, byte[] insert)
    {
        // Arrange
        var valid = Valid.Value;
        var original = valid.Next.Encoded.ToArray();
        var mutated = Mutation.Apply(original, positions ?? [], values ?? [], insert ?? []);
        var chain = valid.ChainAfterGenesis();

        // Act
        var quick = Mutation.Within(Budget, () => chain.Accept(mutated), out var result);

        // Assert
        return quick && (result.IsSuccess ? mutated.AsSpan().SequenceEqual(original) : result.Error != EpochError.None);
    }

    [Fact]
    public void Decode_InputLargerThanMaximum_ReturnsMalformedWithoutReadingIt()
    {
        // Arrange
        var input = new byte[EpochRecord.MaxEncodedSize + 1];
        input[0] = ProtocolConstants.Version;
        input[1] = ProtocolConstants.Suite;

        // Act
        var result = EpochRecordCodec.Decode(input);

        // Assert
        Assert.Equal(EpochError.Malformed, result.Error);
    }

    [Fact]
    public void Decode_MaximumMemberCountOfRepeatedCard_CompletesWithinBoundAndAcceptRefuses()
    {
        // Arrange: 1024 copies of a genuine member entry, the most card verifications a record can ask for.
        var valid = Valid.Value;
        var encoded = valid.Genesis.Encoded.ToArray();
        var card = valid.Genesis.Members[0].Device.Encode();
        var first = encoded.AsSpan().IndexOf(card);
        var entryLength = 130 + 1 + 2 + valid.Genesis.Members[0].MemberKeyWrappedEpochKey.Length;
        var entry = encoded.AsSpan(first, entryLength).ToArray();
        var afterMembers = first + valid.Genesis.Members.Sum(m => 133 + m.MemberKeyWrappedEpochKey.Length);
        var crafted = new List<byte>(encoded[..first]);
        for (var i = 0; i < EpochRecord.MaxMembers; i++)
        {
            crafted.AddRange(entry);
        }

        crafted.AddRange(encoded[afterMembers..]);
        var bytes = crafted.ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(first - 2), EpochRecord.MaxMembers);
        var stopwatch = Stopwatch.StartNew();

        // Act
        var decoded = EpochRecordCodec.Decode(bytes);
        var accepted = valid.NewChain().Accept(bytes);
        stopwatch.Stop();

        // Assert
        Assert.True(decoded.IsSuccess, decoded.ToString());
        Assert.Equal(EpochRecord.MaxMembers, decoded.Value.Members.Length);
        Assert.Equal(EpochError.Invalid, accepted.Error);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
    }

    // Static for the whole run, so never disposed; IDisposable for form only.
    private sealed class ValidRecords : IDisposable
    {
        private readonly ChannelScenario _scenario = new();

        public ValidRecords()
        {
            Genesis = _scenario.Genesis().Record;
            Next = _scenario.Next(Genesis, _scenario.Everyone).Record;
        }

        public EpochRecord Genesis { get; }

        public EpochRecord Next { get; }

        public EpochChain NewChain() => _scenario.NewChain();

        public EpochChain ChainAfterGenesis()
        {
            var chain = _scenario.NewChain();
            _ = chain.Accept(Genesis);
            return chain;
        }

        public void Dispose() => _scenario.Dispose();
    }
}
