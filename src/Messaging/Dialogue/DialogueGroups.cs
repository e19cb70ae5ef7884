namespace SecureDialogue.Messaging.Dialogue;

/// <summary>SignalR group names: one group per review channel (only its readers are added) and one per review (every member who joined).</summary>
internal static class DialogueGroups
{
    public static string Channel(Guid reviewId, string channel) => $"{reviewId:N}/{channel}";

    public static string Review(Guid reviewId) => $"{reviewId:N}";
}
