using SecureDialogue.Vault;
using System.Text;

namespace SecureDialogue.Messaging.Mechanism;

/// <summary>
/// A bounded RFC 4180 reader: comma-separated fields, optional double quotes with <c>""</c> for a quote, CRLF or LF
/// line ends, a header row. Every limit is checked while reading, so a hostile file costs at most its size.
/// </summary>
internal static class CsvTable
{
    /// <summary>Largest file accepted, in bytes.</summary>
    public const int MaxBytes = 1 << 20;

    /// <summary>Most data rows.</summary>
    public const int MaxRows = 5000;

    /// <summary>Most fields per row.</summary>
    public const int MaxFields = 32;

    /// <summary>Longest field, in characters.</summary>
    public const int MaxFieldLength = 500;

    /// <summary>Parses UTF-8 CSV (a byte order mark is skipped). Blank lines are ignored; rows keep their line numbers.</summary>
    public static Result<CsvDocument, CsvProblem> Parse(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxBytes)
        {
            return new CsvProblem(0, $"The file is larger than {MaxBytes / 1024} KiB.");
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(utf8);
        }
        catch (DecoderFallbackException)
        {
            return new CsvProblem(0, "The file is not UTF-8 text.");
        }

        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        var rows = new List<CsvRow>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var rowLine = 1;
        var i = 0;
        while (i <= text.Length)
        {
            // One field per iteration.
            field.Clear();
            if (i < text.Length && text[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        return new CsvProblem(rowLine, "A quoted field is not closed.");
                    }

                    var c = text[i++];
                    if (c == '"')
                    {
                        if (i < text.Length && text[i] == '"')
                        {
                            field.Append('"');
                            i++;
                            continue;
                        }

                        break;
                    }

                    if (c == '\n')
                    {
                        line++;
                    }

                    field.Append(c);
                    if (field.Length > MaxFieldLength)
                    {
                        return new CsvProblem(rowLine, $"A field is longer than {MaxFieldLength} characters.");
                    }
                }

                if (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                {
                    return new CsvProblem(rowLine, "Text after a closing quote.");
                }
            }
            else
            {
                while (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                {
                    if (text[i] == '"')
                    {
                        return new CsvProblem(rowLine, "A quote inside an unquoted field.");
                    }

                    field.Append(text[i++]);
                    if (field.Length > MaxFieldLength)
                    {
                        return new CsvProblem(rowLine, $"A field is longer than {MaxFieldLength} characters.");
                    }
                }
            }

            fields.Add(field.ToString());
            if (fields.Count > MaxFields)
            {
                return new CsvProblem(rowLine, $"More than {MaxFields} fields.");
            }

            if (i < text.Length && text[i] == ',')
            {
                i++;
                continue;
            }

            // End of a row: a line end or the end of the text.
            if (!(fields.Count == 1 && fields[0].Length == 0))
            {
                rows.Add(new CsvRow(rowLine, [.. fields]));
                if (rows.Count > MaxRows + 1)
                {
                    return new CsvProblem(rowLine, $"More than {MaxRows} rows.");
                }
            }

            fields.Clear();
            if (i >= text.Length)
            {
                break;
            }

            if (text[i] == '\r')
            {
                i++;
            }

            if (i < text.Length && text[i] == '\n')
            {
                i++;
            }

            line++;
            rowLine = line;
            if (i == text.Length)
            {
                break;
            }
        }

        if (rows.Count == 0)
        {
            return new CsvProblem(0, "The file is empty.");
        }

        var header = rows[0].Fields.Select(h => h.Trim().ToLowerInvariant()).ToArray();
        return new CsvDocument(header, rows.Skip(1).ToArray());
    }
}

/// <summary>A parsed CSV file: the header (trimmed, lower case) and the data rows.</summary>
internal sealed record CsvDocument(IReadOnlyList<string> Header, IReadOnlyList<CsvRow> Rows)
{
    /// <summary>The index of a column, or -1.</summary>
    public int Column(string name) => Header.ToList().IndexOf(name);
}

/// <summary>One data row and the line it starts on (1 is the header).</summary>
internal sealed record CsvRow(int Line, IReadOnlyList<string> Fields)
{
    /// <summary>The field at <paramref name="column"/>, trimmed; empty when the row is short.</summary>
    public string this[int column] => column >= 0 && column < Fields.Count ? Fields[column].Trim() : string.Empty;
}

/// <summary>Why a file is not readable CSV; <see cref="Line"/> 0 for the whole file.</summary>
internal readonly record struct CsvProblem(int Line, string Message);
