using System.Diagnostics;
using System.Reflection;
using SecureDialogue.Vault.Interop;
using SecureDialogue.Vault.Tests.Support;
using Xunit;

namespace SecureDialogue.Vault.Tests.Interop;

public sealed class SecureMemoryHandleTests
{
    private static readonly byte[] Secret = Hex.Decode("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    [Fact]
    public void CreateFrom_ThenExport_ReturnsTheSameBytes()
    {
        // Arrange
        using var handle = SecureMemoryHandle.CreateFrom(Secret);
        var exported = new byte[Secret.Length];

        // Act
        handle.Export(exported);

        // Assert
        Assert.Equal(Secret.Length, handle.Length);
        Assert.Equal(Secret, exported);
    }

    [Fact]
    public void FixedTimeEquals_SameContents_ReturnsTrue()
    {
        // Arrange
        using var a = SecureMemoryHandle.CreateFrom(Secret);
        using var b = SecureMemoryHandle.CreateFrom(Secret);

        // Act
        var equal = a.FixedTimeEquals(b);

        // Assert
        Assert.True(equal);
    }

    [Fact]
    public void FixedTimeEquals_AnySingleByteDiffers_ReturnsFalse()
    {
        // Arrange
        using var a = SecureMemoryHandle.CreateFrom(Secret);
        var results = new List<bool>();

        // Act
        for (var i = 0; i < Secret.Length; i++)
        {
            var other = Secret.ToArray();
            other[i] ^= 0x80;
            using var b = SecureMemoryHandle.CreateFrom(other);
            results.Add(a.FixedTimeEquals(b));
        }

        // Assert
        Assert.Equal(Secret.Length, results.Count);
        Assert.All(results, Assert.False);
    }

    [Fact]
    public void FixedTimeEquals_DifferentLengthsWithSamePrefix_ReturnsFalse()
    {
        // Arrange
        using var a = SecureMemoryHandle.CreateFrom(Secret);
        using var b = SecureMemoryHandle.CreateFrom(Secret.AsSpan(0, 16));

        // Act
        var equal = a.FixedTimeEquals(b) || b.FixedTimeEquals(a);

        // Assert
        Assert.False(equal);
    }

    [Fact]
    public void ToString_AnyContents_ShowsOnlyTheTypeName()
    {
        // Arrange
        using var handle = SecureMemoryHandle.CreateFrom(Secret);

        // Act
        var text = handle.ToString();

        // Assert
        Assert.Equal(nameof(SecureMemoryHandle), text);
        Assert.DoesNotContain(Hex.Encode(Secret.AsSpan(0, 4)), text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void DebuggerDisplay_Attribute_ShowsLengthOnly()
    {
        // Arrange
        var attribute = typeof(SecureMemoryHandle).GetCustomAttribute<DebuggerDisplayAttribute>();

        // Act
        var display = attribute?.Value;

        // Assert
        Assert.Equal("SecureMemoryHandle, {Length} bytes", display);
    }

    [Fact]
    public void Dispose_Handle_ClosesItAndRefusesFurtherAccess()
    {
        // Arrange
        var handle = SecureMemoryHandle.CreateFrom(Secret);
        var destination = new byte[Secret.Length];

        // Act
        handle.Dispose();

        // Assert
        Assert.True(handle.IsClosed);
        Assert.Throws<ObjectDisposedException>(() => handle.Export(destination));
        Assert.Throws<ObjectDisposedException>(() => handle.Import(Secret));
        Assert.All(destination, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Dispose_CalledTwice_DoesNotThrow()
    {
        // Arrange
        var handle = SecureMemoryHandle.CreateFrom(Secret);
        handle.Dispose();

        // Act
        var error = Record.Exception(handle.Dispose);

        // Assert
        Assert.Null(error);
        Assert.True(handle.IsClosed);
    }

    [Fact]
    public void FixedTimeEquals_OtherHandleDisposed_Throws()
    {
        // Arrange
        using var a = SecureMemoryHandle.CreateFrom(Secret);
        var b = SecureMemoryHandle.CreateFrom(Secret);
        b.Dispose();

        // Act
        var error = Record.Exception(() => a.FixedTimeEquals(b));

        // Assert
        Assert.IsType<ObjectDisposedException>(error);
    }
}
