namespace SecureDialogue.Cli;

/// <summary>An expected failure of a command: the exit code and the one-line message shown after <c>sdlg: </c>.</summary>
/// <param name="ExitCode">One of <see cref="ExitCodes"/>.</param>
/// <param name="Message">What went wrong and, where it helps, what to do; never a secret.</param>
internal readonly record struct CommandFailure(int ExitCode, string Message);
