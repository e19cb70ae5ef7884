using SecureDialogue.Client.Identity;

namespace SecureDialogue.Cli.Session;

/// <summary>Turns sign-in and token cache errors into exit codes and one-line messages.</summary>
internal static class IdentityFailures
{
    public static CommandFailure Of(IdentityError error, Profile profile) => error.Kind switch
    {
        IdentityErrorKind.NotSignedIn => LoginSettings.NotSignedIn(profile),
        IdentityErrorKind.RefreshRejected or IdentityErrorKind.IdTokenSubjectChanged =>
            new(ExitCodes.NotSignedIn, $"the sign-in has ended ({error.Detail}): run 'sdlg login' again"),
        IdentityErrorKind.CacheUnreadable => new(ExitCodes.NotSignedIn, error.Detail),
        IdentityErrorKind.ProviderUnreachable => new(ExitCodes.ServerUnreachable, $"cannot reach the identity provider: {error.Detail}"),
        IdentityErrorKind.AccessDenied => new(ExitCodes.Refused, $"the sign-in was refused or cancelled at the provider: {error.Detail}"),
        IdentityErrorKind.DeviceCodeExpired or IdentityErrorKind.SignInTimedOut => new(ExitCodes.Failed, $"the sign-in was not completed in time: {error.Detail}"),
        _ => new(ExitCodes.Failed, $"sign-in failed ({error.Kind}): {error.Detail}"),
    };
}
