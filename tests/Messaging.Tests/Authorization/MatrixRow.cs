using Microsoft.AspNetCore.SignalR.Client;

namespace SecureDialogue.Messaging.Tests.Authorization;

/// <summary>What a cell of the authorization matrix must observe.</summary>
public enum Expect
{
    /// <summary>2xx with the operation's body (hub: the method's result).</summary>
    Allow,

    /// <summary>401 problem <c>unauthorized</c> (hub: the WebSocket upgrade and the negotiation are refused with 401).</summary>
    Deny401,

    /// <summary>403 problem <c>forbidden</c> (hub: <c>HubException</c> with the code <c>forbidden</c>).</summary>
    Deny403,

    /// <summary>404 problem <c>not-found</c> (hub: <c>HubException</c> with the code <c>not-found</c>).</summary>
    Deny404,

    /// <summary>A page without a page session: 302 to the sign-in page.</summary>
    SignInFirst,

    /// <summary>A page refused to a signed-in person: 403 with the HTML "not permitted" page.</summary>
    DenyPage,
}

/// <summary>One operation of the server and the outcome it must have for each <see cref="MatrixRole"/>.</summary>
/// <param name="Operation">Unique, readable name of the operation (the theory's first argument).</param>
/// <param name="Expected">One outcome per <see cref="MatrixRole"/>, in its order.</param>
public abstract record MatrixRow(string Operation, IReadOnlyList<Expect> Expected)
{
    /// <summary>The outcome the table gives <paramref name="role"/>.</summary>
    public Expect For(MatrixRole role) => Expected[(int)role];
}

/// <summary>An HTTP endpoint (for channel routes: in one channel).</summary>
/// <param name="Method">GET or POST.</param>
/// <param name="Route">The route template exactly as mapped (an <c>HttpRoutes</c> constant, <c>/healthz</c>, <c>/</c>).</param>
/// <param name="Channel">The channel put into <c>{channel}</c>, or null.</param>
/// <param name="Expected">One outcome per role.</param>
/// <param name="Send">Performs the request as the role (the anonymous role sends no token).</param>
/// <param name="CheckAllowed">Asserts the status and body of an allowed call.</param>
public sealed record HttpRow(
    string Method,
    string Route,
    string? Channel,
    IReadOnlyList<Expect> Expected,
    Func<MatrixWorld, MatrixRole, Task<HttpResponseMessage>> Send,
    Func<MatrixWorld, MatrixRole, HttpResponseMessage, Task> CheckAllowed)
    : MatrixRow($"{Method} {Display(Route, Channel)}", Expected)
{
    /// <summary>
    /// The route as the theory shows it: review routes start with <c>{review}</c> (xunit cuts arguments after 50
    /// characters) and <c>{channel}</c> is filled in.
    /// </summary>
    private static string Display(string route, string? channel)
    {
        const string review = "/api/reviews/{reviewId:guid}";
        const string pageReview = "/secretariat/reviews/{reviewId:guid}";
        var shown = route.StartsWith(review, StringComparison.Ordinal) ? "{review}" + route[review.Length..]
            : route.StartsWith(pageReview, StringComparison.Ordinal) ? "/secretariat{review}" + route[pageReview.Length..] : route;
        return channel is null ? shown : shown.Replace("{channel}", channel, StringComparison.Ordinal);
    }
}

/// <summary>A hub method (for <c>Send</c>: into one channel).</summary>
/// <param name="Method">The hub method's name.</param>
/// <param name="Channel">The channel the call targets, or null.</param>
/// <param name="Expected">One outcome per role.</param>
/// <param name="Invoke">Calls the method on a started connection of the role.</param>
/// <param name="CheckAllowed">Asserts the result of an allowed call.</param>
public sealed record HubRow(
    string Method,
    string? Channel,
    IReadOnlyList<Expect> Expected,
    Func<MatrixWorld, MatrixRole, HubConnection, Task<object?>> Invoke,
    Action<MatrixWorld, MatrixRole, object?> CheckAllowed)
    : MatrixRow($"hub {Method}{(Channel is null ? string.Empty : $"({Channel})")}", Expected);
