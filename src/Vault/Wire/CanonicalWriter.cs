using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;

namespace SecureDialogue.Vault.Wire;

/// <summary>The writing side of <see cref="CanonicalReader"/>, over a growable buffer.</summary>
internal sealed class CanonicalWriter
{
    private readonly ArrayBufferWriter<byte> _buffer;

    public CanonicalWriter(int initialCapacity = 256) => _buffer = new ArrayBufferWriter<byte>(initialCapacity);

    public int Length => _buffer.WrittenCount;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    public void WriteByte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.GetSpan(2), value);
        _buffer.Advance(2);
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void WriteBytes(ReadOnlySpan<byte> value) => _buffer.Write(value);

    public void WriteGuid(Guid value)
    {
        var ok = value.TryWriteBytes(_buffer.GetSpan(16), bigEndian: true, out var written);
        Debug.Assert(ok && written == 16);
        _buffer.Advance(16);
    }

    public void WriteShortBytes(ReadOnlySpan<byte> value)
    {
        Debug.Assert(value.Length <= byte.MaxValue);
        WriteByte((byte)value.Length);
        WriteBytes(value);
    }

    public void WriteLongBytes(ReadOnlySpan<byte> value)
    {
        WriteUInt32((uint)value.Length);
        WriteBytes(value);
    }

    public void WriteAscii(string value)
    {
        Debug.Assert(value.Length <= byte.MaxValue);
        WriteByte((byte)value.Length);
        var span = _buffer.GetSpan(value.Length);
        var written = Encoding.ASCII.GetBytes(value, span);
        _buffer.Advance(written);
    }
}
