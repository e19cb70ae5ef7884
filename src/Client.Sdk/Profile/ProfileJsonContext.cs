using System.Text.Json;
using System.Text.Json.Serialization;
using SecureDialogue.Client.Trust;

namespace SecureDialogue.Client.Profile;

/// <summary>Source-generated JSON of the profile state files.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ChannelStateDocument))]
[JsonSerializable(typeof(CounterDocument))]
[JsonSerializable(typeof(PinsDocument))]
[JsonSerializable(typeof(Attachments.UploadResumeDocument))]
internal sealed partial class ProfileJsonContext : JsonSerializerContext;
