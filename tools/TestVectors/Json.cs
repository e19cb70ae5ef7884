using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SecureDialogue.TestVectors;

/// <summary>Stable output: insertion-ordered objects, two-space indentation, LF line ends, lower-case hex.</summary>
internal static class Json
{
    private static readonly JsonSerializerOptions s_options = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    public static JsonArray HexArray(IEnumerable<byte[]> items) => [.. items.Select(i => (JsonNode)Hex(i))];

    public static void Write(string directory, string fileName, JsonObject content)
    {
        var path = Path.Combine(directory, fileName);
        File.WriteAllText(path, content.ToJsonString(s_options) + "\n");
        Console.WriteLine($"wrote {path}");
    }

    public static JsonObject? TryRead(string directory, string fileName)
    {
        var path = Path.Combine(directory, fileName);
        return File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) as JsonObject : null;
    }
}
