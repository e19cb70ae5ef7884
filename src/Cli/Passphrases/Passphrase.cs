using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace SecureDialogue.Cli.Passphrases;

/// <summary>
/// A passphrase held in a pinned character array that is wiped on <see cref="Dispose"/>. Never printed:
/// <see cref="ToString"/> returns the type name.
/// </summary>
[DebuggerDisplay("Passphrase ({Length} chars)")]
internal sealed class Passphrase : IDisposable
{
    private readonly char[] _chars;
    private readonly int _length;

    private Passphrase(char[] chars, int length)
    {
        _chars = chars;
        _length = length;
    }

    /// <summary>Number of characters.</summary>
    public int Length => _length;

    /// <summary>The characters; valid until <see cref="Dispose"/>.</summary>
    public ReadOnlySpan<char> Chars => _chars.AsSpan(0, _length);

    /// <summary>Copies <paramref name="chars"/> into a new pinned buffer.</summary>
    public static Passphrase CopyOf(ReadOnlySpan<char> chars)
    {
        var buffer = GC.AllocateArray<char>(Math.Max(1, chars.Length), pinned: true);
        chars.CopyTo(buffer);
        return new Passphrase(buffer, chars.Length);
    }

    /// <summary>Compares two passphrases in time independent of where they differ.</summary>
    public bool FixedTimeEquals(Passphrase other) =>
        CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(Chars), MemoryMarshal.AsBytes(other.Chars));

    /// <summary>Wipes the characters.</summary>
    public void Dispose() => CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(_chars.AsSpan()));

    /// <inheritdoc />
    public override string ToString() => nameof(Passphrase);
}
