using SecureDialogue.Contracts;

namespace SecureDialogue.Client.Tests.Support;

/// <summary>
/// A started double with a review: Ana (State under review, opens "dialogue"), Ben and Cai (reviewing
/// States), each the focal point of their State (so each device is its State's trust root and needs no other
/// certificate), each with a registered device and a client. Disposed with the test.
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
        var ana = server.AddAccount("Ana", "AUT");
        var ben = server.AddAccount("Ben", "BRA");
        var cai = server.AddAccount("Cai", "CRI");
        var reviewId = server.CreateReview("AUT", ["BRA", "CRI"], (ana, MemberRole.FocalPoint), (ben, MemberRole.FocalPoint), (cai, MemberRole.FocalPoint));
        var fixture = new DialogueFixture(server, reviewId, await Participant.JoinAsync(server, ana), await Participant.JoinAsync(server, ben), await Participant.JoinAsync(server, cai));
        await Participant.PublishRootsAsync(reviewId, fixture.Ana, fixture.Ben, fixture.Cai);
        return fixture;
    }

    public async ValueTask DisposeAsync()
    {
        await Ana.DisposeAsync();
        await Ben.DisposeAsync();
        await Cai.DisposeAsync();
        await Server.DisposeAsync();
    }
}
