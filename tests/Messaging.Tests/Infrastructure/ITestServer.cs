namespace SecureDialogue.Messaging.Tests.Infrastructure;

/// <summary>A running server the test talks to over TCP: in-process (<see cref="MessagingHost"/>) or a child process (<see cref="ServerProcess"/>).</summary>
public interface ITestServer
{
    Uri BaseAddress { get; }

    /// <summary>A development token from <c>POST /dev/token</c>.</summary>
    Task<string> TokenAsync(string user, bool secretariat = false);

    /// <summary>A client sending <paramref name="token"/> as its bearer token.</summary>
    HttpClient ClientWith(string token);
}
