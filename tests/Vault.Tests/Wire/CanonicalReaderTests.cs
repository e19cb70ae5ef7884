using SecureDialogue.Vault.Wire;
using Xunit;

namespace SecureDialogue.Vault.Tests.Wire;

public sealed class CanonicalReaderTests
{
    [Fact]
    public void TryRead_WriterOutput_ReadsBackEveryValue()
    {
        // Arrange
        var guid = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");
        var writer = new CanonicalWriter();
        writer.WriteByte(7);
        writer.WriteUInt16(0x1234);
        writer.WriteUInt32(0x89abcdef);
        writer.WriteInt64(-2);
        writer.WriteGuid(guid);
        writer.WriteShortBytes([1, 2, 3]);
        writer.WriteLongBytes([4, 5]);
        writer.WriteAscii("dialogue");
        var reader = new CanonicalReader(writer.WrittenSpan);

        // Act
        var ok = reader.TryReadByte(out var b) & reader.TryReadUInt16(out var u16) & reader.TryReadUInt32(out var u32) &
                 reader.TryReadInt64(out var i64) & reader.TryReadGuid(out var g) & reader.TryReadShortBytes(0, 3, out var shortBytes) &
                 reader.TryReadLongBytes(0, 2, out var longBytes) & reader.TryReadAscii(1, 32, c => c is >= (byte)'a' and <= (byte)'z', out var ascii);

        // Assert
        Assert.True(ok);
        Assert.True(reader.End);
        Assert.Equal((7, 0x1234, 0x89abcdefu, -2L, guid, "dialogue"), (b, u16, u32, i64, g, ascii));
        Assert.Equal([1, 2, 3], shortBytes.ToArray());
        Assert.Equal([4, 5], longBytes.ToArray());
    }

    [Fact]
    public void TryReadBytes_MoreThanRemaining_FailsWithoutMoving()
    {
        // Arrange
        var reader = new CanonicalReader([1, 2, 3]);

        // Act
        var ok = reader.TryReadBytes(4, out _);

        // Assert
        Assert.False(ok);
        Assert.Equal(0, reader.Position);
        Assert.False(reader.TryReadBytes(-1, out _));
    }

    [Fact]
    public void TryReadLongBytes_DeclaredLengthAboveMaximum_FailsBeforeReading()
    {
        // Arrange: a u32 length of 4 GiB - 1 in front of three bytes.
        var reader = new CanonicalReader([0xff, 0xff, 0xff, 0xff, 1, 2, 3]);

        // Act
        var ok = reader.TryReadLongBytes(0, 1024, out _);

        // Assert
        Assert.False(ok);
    }

    [Theory]
    [InlineData(new byte[] { 2, 1, 2 }, 3, 10)]
    [InlineData(new byte[] { 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 0, 10)]
    [InlineData(new byte[] { 5, 1, 2 }, 0, 10)]
    public void TryReadShortBytes_LengthOutsideBoundsOrInput_Fails(byte[] input, int min, int max)
    {
        // Arrange
        var reader = new CanonicalReader(input);

        // Act
        var ok = reader.TryReadShortBytes(min, max, out _);

        // Assert
        Assert.False(ok);
    }

    [Fact]
    public void TryReadAscii_DisallowedCharacter_Fails()
    {
        // Arrange
        var reader = new CanonicalReader([3, (byte)'a', (byte)'B', (byte)'c']);

        // Act
        var ok = reader.TryReadAscii(1, 32, c => c is >= (byte)'a' and <= (byte)'z', out var value);

        // Assert
        Assert.False(ok);
        Assert.Equal(string.Empty, value);
    }
}
