using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecureDialogue.Messaging.Health;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HealthResponse))]
internal sealed partial class MessagingJsonContext : JsonSerializerContext;
