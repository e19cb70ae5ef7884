using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace SecureDialogue.Cli.Output;

/// <summary>Writes a command's result as text or, with <c>--json</c>, as one JSON document.</summary>
internal static class CommandOutput
{
    public static void Write<T>(TextWriter writer, bool json, T view, JsonTypeInfo<T> typeInfo, Action<T, TextWriter> writeText)
    {
        if (json)
        {
            writer.WriteLine(JsonSerializer.Serialize(view, typeInfo));
        }
        else
        {
            writeText(view, writer);
        }
    }
}
