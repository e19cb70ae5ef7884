using SecureDialogue.Cli.Session;
using SecureDialogue.Client.Attachments;

namespace SecureDialogue.Cli.Commands.Attachments;

/// <summary>Exit codes and messages of the attachment failures (docs/cli.md).</summary>
internal static class TransferFailures
{
    public static CommandFailure Of(AttachmentFailure failure, DialogueAccess access, string action) => failure.Kind switch
    {
        AttachmentFailureKind.NotAllowed => new(ExitCodes.Refused, $"{failure.Detail}: observers read and never post"),
        AttachmentFailureKind.NoKey => new(ExitCodes.Failed,
            $"{failure.Detail} yet: a member who manages the channel adds it when they next open it (see 'sdlg reviews show' for trust alerts)"),
        AttachmentFailureKind.TooLarge => new(ExitCodes.Refused, $"the file is too large: {failure.Detail}"),
        AttachmentFailureKind.Unreachable or AttachmentFailureKind.Refused when failure.Api is { } api => access.Connection.Failure(api, action),
        AttachmentFailureKind.Unreachable => new(ExitCodes.ServerUnreachable, failure.Detail),
        AttachmentFailureKind.Invalid => new(ExitCodes.Tampered, failure.Detail),
        AttachmentFailureKind.SendFailed when failure.Send is { Api: { } api } => access.Connection.Failure(api, "send the attachment's item"),
        _ => new(ExitCodes.Failed, failure.Detail),
    };
}
