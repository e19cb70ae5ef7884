using System.Text;

namespace SecureDialogue.Vault.Attachments;

/// <summary>
/// The rules for the file name and media type a manifest carries. Both are the sender's claims, shown to
/// readers: a client never uses a file name as a path without choosing the directory itself.
/// </summary>
public static class AttachmentNames
{
    /// <summary>Largest file name, in UTF-8 bytes.</summary>
    public const int MaxFileNameBytes = 1024;

    /// <summary>Largest media type, in ASCII bytes.</summary>
    public const int MaxMediaTypeBytes = 255;

    /// <summary>The media type used when none is known.</summary>
    public const string DefaultMediaType = "application/octet-stream";

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// A file name is 1 to 1024 bytes of well-formed UTF-8, is not <c>.</c> or <c>..</c>, and contains no
    /// <c>/</c>, <c>\</c>, control character (C0, DEL, C1) or bidirectional formatting character
    /// (U+200E, U+200F, U+202A-U+202E, U+2066-U+2069), which could disguise an extension.
    /// </summary>
    public static bool IsValidFileName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name is "." or ".." || name.Length > MaxFileNameBytes)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (c is '/' or '\\' || c < 0x20 || c is >= '\u007f' and <= '\u009f' ||
                c is '\u200e' or '\u200f' || c is >= '\u202a' and <= '\u202e' || c is >= '\u2066' and <= '\u2069')
            {
                return false;
            }
        }

        try
        {
            return s_strictUtf8.GetByteCount(name) <= MaxFileNameBytes;
        }
        catch (EncoderFallbackException)
        {
            return false; // a lone surrogate
        }
    }

    /// <summary>
    /// A media type is <c>type/subtype</c> in lower case, each part 1 to 127 characters of RFC 6838's
    /// restricted-name alphabet (first <c>a-z 0-9</c>, then also <c>! # $ &amp; - ^ _ . +</c>), no parameters.
    /// </summary>
    public static bool IsValidMediaType(string? mediaType)
    {
        if (string.IsNullOrEmpty(mediaType) || mediaType.Length > MaxMediaTypeBytes)
        {
            return false;
        }

        var slash = mediaType.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && IsRestrictedName(mediaType.AsSpan(0, slash)) && IsRestrictedName(mediaType.AsSpan(slash + 1));
    }

    internal static byte[] EncodeFileName(string name) => s_strictUtf8.GetBytes(name);

    internal static string? DecodeFileName(ReadOnlySpan<byte> bytes)
    {
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return null;
        }

        var name = s_strictUtf8.GetString(bytes);
        return IsValidFileName(name) ? name : null;
    }

    internal static string? DecodeMediaType(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b > 0x7e)
            {
                return null;
            }
        }

        var type = Encoding.ASCII.GetString(bytes);
        return IsValidMediaType(type) ? type : null;
    }

    private static bool IsRestrictedName(ReadOnlySpan<char> part)
    {
        if (part.Length is 0 or > 127 || !IsAlphaNumeric(part[0]))
        {
            return false;
        }

        foreach (var c in part)
        {
            if (!IsAlphaNumeric(c) && c is not ('!' or '#' or '$' or '&' or '-' or '^' or '_' or '.' or '+'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAlphaNumeric(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9');
}
