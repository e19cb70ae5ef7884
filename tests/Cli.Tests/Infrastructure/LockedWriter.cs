using System.Text;

namespace SecureDialogue.Cli.Tests.Infrastructure;

/// <summary>A text writer that a test may read while a command (e.g. <c>watch</c>) writes to it from another thread.</summary>
internal sealed class LockedWriter : TextWriter
{
    private readonly StringBuilder _text = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_text)
        {
            _text.Append(value);
        }
    }

    public override void Write(string? value)
    {
        lock (_text)
        {
            _text.Append(value);
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_text)
        {
            _text.Append(value).Append(CoreNewLine);
        }
    }

    public override string ToString()
    {
        lock (_text)
        {
            return _text.ToString();
        }
    }
}
