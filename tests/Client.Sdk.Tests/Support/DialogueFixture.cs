using SecureDialogue.Contracts;

namespace SecureDialogue.Client.Tests.Support;

/// <summary>
/// A started double with a review: Ana (State under review, opens "dialogue"), Ben and Cai (reviewing
/// States), each with a registered device and a client. Disposed with the test.
/// </summary>
internal sealed class DialogueFixture : IAsyncDisposable
{
    private DialogueFixture(ScriptableServer server, Guid reviewId, Participant ana, Participant ben, Participant cai)
    {
        Server = server;
        ReviewId = reviewId;
        Ana = ana;
        Ben = ben;
        Cai = cai;
    }

    public ScriptableServer Server { get; }

    public Guid ReviewId { get; }

    public Participant Ana { get; }

    public Participant Ben { get; }

    public Participant Cai { get; }

    public static async Task<DialogueFixture> StartAsync()
    {
        var server = await ScriptableServer.StartAsync();
        var ana = server.AddAccount("Ana", "AT");
        var ben = server.AddAccount("Ben", "BR");
        var cai = server.AddAccount("Cai", "CR");
        var reviewId = server.CreateReview("AT", ["BR", "CR"], (ana, MemberRole.Expert), (ben, MemberRole.Expert), (cai, MemberRole.Expert));
        return new DialogueFixture(server, reviewId, await Participant.JoinAsync(server, ana), await Participant.JoinAsync(server, ben), await Participant.JoinAsync(server, cai));
    }

    public async ValueTask DisposeAsync()
    {
        await Ana.DisposeAsync();
        await Ben.DisposeAsync();
        await Cai.DisposeAsync();
        await Server.DisposeAsync();
    }
}
