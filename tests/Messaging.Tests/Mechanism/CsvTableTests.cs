using System.Text;
using SecureDialogue.Messaging.Mechanism;

namespace SecureDialogue.Messaging.Tests.Mechanism;

public sealed class CsvTableTests
{
    private static CsvDocument Parse(string text)
    {
        Assert.True(CsvTable.Parse(Encoding.UTF8.GetBytes(text)).TryGetValue(out var document, out var problem), problem.Message);
        return document;
    }

    private static CsvProblem Fail(byte[] bytes)
    {
        Assert.False(CsvTable.Parse(bytes).TryGetValue(out _, out var problem));
        return problem;
    }

    [Fact]
    public void Quoted_fields_keep_commas_quotes_and_line_breaks_and_rows_keep_their_first_line()
    {
        var document = Parse("\uFEFFA, b\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n\r\n\"two\nlines\",z\nlast,\n");

        Assert.Equal(["a", "b"], document.Header);
        Assert.Equal(3, document.Rows.Count);
        Assert.Equal(["x, y", "say \"hi\""], document.Rows[0].Fields);
        Assert.Equal((2, 4), (document.Rows[0].Line, document.Rows[1].Line));
        Assert.Equal("two\nlines", document.Rows[1][0]);
        Assert.Equal((6, "last", string.Empty), (document.Rows[2].Line, document.Rows[2][0], document.Rows[2][1]));
        Assert.Equal(string.Empty, document.Rows[2][7]);
    }

    [Fact]
    public void Malformed_and_oversized_input_is_refused_with_the_line()
    {
        Assert.Equal(2, Fail(Encoding.UTF8.GetBytes("a\n\"open")).Line);
        Assert.Equal(2, Fail(Encoding.UTF8.GetBytes("a\n\"x\"y")).Line);
        Assert.Equal(3, Fail(Encoding.UTF8.GetBytes("a\nb\nc\"d")).Line);
        Assert.Equal(0, Fail(new byte[CsvTable.MaxBytes + 1]).Line);
        Assert.Contains("UTF-8", Fail([0xFF, 0xFE, 0x00]).Message, StringComparison.Ordinal);
        Assert.Contains("empty", Fail([]).Message, StringComparison.Ordinal);
        Assert.Contains("fields", Fail(Encoding.UTF8.GetBytes(new string(',', CsvTable.MaxFields))).Message, StringComparison.Ordinal);
        Assert.Contains("longer", Fail(Encoding.UTF8.GetBytes(new string('x', CsvTable.MaxFieldLength + 1))).Message, StringComparison.Ordinal);
        Assert.Contains("rows", Fail(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("x\n", CsvTable.MaxRows + 2)))).Message, StringComparison.Ordinal);
    }
}
