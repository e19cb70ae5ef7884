using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace SecureDialogue.Messaging.Pages;

/// <summary>
/// A small HTML builder: <see cref="Text"/> encodes everything (names, codes, texts from resources alike), markup is
/// appended only from constants in the page classes. Every value that reaches a page goes through the encoder.
/// </summary>
internal sealed class Html
{
    // Letters of every script stay readable in the source (Arabic, Chinese, Cyrillic); markup characters are encoded.
    private static readonly HtmlEncoder s_encoder = HtmlEncoder.Create(UnicodeRanges.All);
    private readonly StringBuilder _builder = new(8 * 1024);

    /// <summary>Encodes a value.</summary>
    public static string Encode(string? value) => s_encoder.Encode(value ?? string.Empty);

    /// <summary>Appends constant markup.</summary>
    public Html Markup(string markup)
    {
        _builder.Append(markup);
        return this;
    }

    /// <summary>Appends one constant markup character.</summary>
    public Html Markup(char markup)
    {
        _builder.Append(markup);
        return this;
    }

    /// <summary>Appends an encoded value.</summary>
    public Html Text(string? value)
    {
        _builder.Append(Encode(value));
        return this;
    }

    /// <summary>Appends <c>&lt;tag attrs&gt;encoded text&lt;/tag&gt;</c>.</summary>
    public Html Element(string tag, string? text, string attributes = "")
    {
        _builder.Append('<').Append(tag).Append(attributes.Length > 0 ? " " + attributes : string.Empty).Append('>');
        Text(text);
        _builder.Append("</").Append(tag).Append('>');
        return this;
    }

    /// <summary>An attribute with an encoded value: <c>name="value"</c>.</summary>
    public static string Attribute(string name, string? value) => $"{name}=\"{Encode(value)}\"";

    public override string ToString() => _builder.ToString();
}
