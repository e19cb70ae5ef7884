using System.Text;

namespace SecureDialogue.Vault.Envelopes;

/// <summary>How a segment's bytes are to be read.</summary>
public enum SegmentKind : byte
{
    /// <summary>A paragraph of UTF-8 text.</summary>
    Text = 1,

    /// <summary>An answer to a questionnaire item: u8 length, ASCII question reference, then UTF-8 text.</summary>
    QuestionnaireAnswer = 2,

    /// <summary>A reference to an encrypted attachment (its manifest; format defined with the document vault).</summary>
    FileReference = 3,
}

/// <summary>
/// One independently disclosable part of an item's plaintext. Each segment has its own salted commitment
/// in the signed header, so a State can later publish some segments and prove they are genuine.
/// </summary>
public sealed record Segment
{
    /// <summary>Largest segment content.</summary>
    public const int MaxContentLength = Padding.MaxPaddedLength;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private Segment(SegmentKind kind, ReadOnlyMemory<byte> content)
    {
        Kind = kind;
        Content = content;
    }

    /// <summary>The kind.</summary>
    public SegmentKind Kind { get; }

    /// <summary>The raw content.</summary>
    public ReadOnlyMemory<byte> Content { get; }

    /// <summary>A paragraph of text.</summary>
    public static Segment Text(string text) => new(SegmentKind.Text, s_strictUtf8.GetBytes(text));

    /// <summary>An answer to questionnaire item <paramref name="questionReference"/> (e.g. <c>UNTOC-5.1</c>).</summary>
    public static Segment QuestionnaireAnswer(string questionReference, string text)
    {
        if (questionReference.Length is 0 or > 64 || !questionReference.All(c => char.IsAscii(c) && !char.IsControl(c)))
        {
            throw new ArgumentException("A question reference is 1-64 printable ASCII characters.", nameof(questionReference));
        }

        var reference = Encoding.ASCII.GetBytes(questionReference);
        byte[] content = [(byte)reference.Length, .. reference, .. s_strictUtf8.GetBytes(text)];
        return new Segment(SegmentKind.QuestionnaireAnswer, content);
    }

    /// <summary>A reference to an attachment, given as its encoded manifest.</summary>
    public static Segment FileReference(ReadOnlySpan<byte> manifest) => new(SegmentKind.FileReference, manifest.ToArray());

    /// <summary>The text of a text or answer segment.</summary>
    public string? TextContent => Kind switch
    {
        SegmentKind.Text => s_strictUtf8.GetString(Content.Span),
        SegmentKind.QuestionnaireAnswer => s_strictUtf8.GetString(Content.Span[(1 + Content.Span[0])..]),
        _ => null,
    };

    /// <summary>The question reference of an answer segment.</summary>
    public string? QuestionReference =>
        Kind == SegmentKind.QuestionnaireAnswer ? Encoding.ASCII.GetString(Content.Span.Slice(1, Content.Span[0])) : null;

    /// <summary>Validates decoded bytes: known kind, well-formed UTF-8 and structure.</summary>
    internal static Segment? TryCreate(byte kind, ReadOnlySpan<byte> content)
    {
        switch ((SegmentKind)kind)
        {
            case SegmentKind.Text when IsUtf8(content):
                return new Segment(SegmentKind.Text, Copy(content));
            case SegmentKind.QuestionnaireAnswer when content.Length >= 1 && content[0] is >= 1 and <= 64 &&
                                                      content.Length >= 1 + content[0] &&
                                                      IsPrintableAscii(content.Slice(1, content[0])) &&
                                                      IsUtf8(content[(1 + content[0])..]):
                return new Segment(SegmentKind.QuestionnaireAnswer, Copy(content));
            case SegmentKind.FileReference:
                return new Segment(SegmentKind.FileReference, Copy(content));
            default:
                return null;
        }
    }

    // The decrypted plaintext is wiped after parsing, so content is copied out; every byte is overwritten,
    // so the copy need not be zeroed first (which matters for large segments).
    private static byte[] Copy(ReadOnlySpan<byte> content)
    {
        var copy = GC.AllocateUninitializedArray<byte>(content.Length);
        content.CopyTo(copy);
        return copy;
    }

    private static bool IsUtf8(ReadOnlySpan<byte> bytes) => System.Text.Unicode.Utf8.IsValid(bytes);

    private static bool IsPrintableAscii(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is < 0x20 or > 0x7e)
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override string ToString() => $"Segment {Kind}, {Content.Length} bytes";
}
