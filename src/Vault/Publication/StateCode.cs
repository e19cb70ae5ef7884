namespace SecureDialogue.Vault.Publication;

/// <summary>
/// A State as an ISO 3166-1 alpha-3 code (<c>AUT</c>, <c>FRA</c>): exactly three upper-case ASCII letters, three
/// bytes in a publication record. Only the syntax is checked; the code list itself is not built in.
/// </summary>
public readonly record struct StateCode
{
    /// <summary>Encoded size.</summary>
    public const int Size = 3;

    private StateCode(string value) => Value = value;

    /// <summary>The three letters.</summary>
    public string Value { get; }

    /// <summary>Parses three upper-case ASCII letters.</summary>
    public static bool TryParse(string? text, out StateCode code)
    {
        code = default;
        if (text is null || text.Length != Size || text.Any(c => c is < 'A' or > 'Z'))
        {
            return false;
        }

        code = new StateCode(text);
        return true;
    }

    /// <summary>Parses three upper-case ASCII letters or throws.</summary>
    public static StateCode Parse(string text) =>
        TryParse(text, out var code) ? code : throw new ArgumentException("A State code is three upper-case letters (ISO 3166-1 alpha-3).", nameof(text));

    internal static bool TryRead(ReadOnlySpan<byte> bytes, out StateCode code)
    {
        code = default;
        if (bytes.Length != Size)
        {
            return false;
        }

        foreach (var b in bytes)
        {
            if (b is < (byte)'A' or > (byte)'Z')
            {
                return false;
            }
        }

        code = new StateCode(System.Text.Encoding.ASCII.GetString(bytes));
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Value ?? string.Empty;
}
