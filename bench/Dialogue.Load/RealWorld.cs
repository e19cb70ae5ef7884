using System.Net.Http.Json;
using SecureDialogue.Client;
using SecureDialogue.Client.Api;
using SecureDialogue.Contracts;
using SecureDialogue.Vault.Certification;
using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Load;

/// <summary>A signed-in member with one registered device.</summary>
internal sealed class Member(string user, string token, DeviceIdentity device) : IDisposable
{
    public string User { get; } = user;

    public string Token { get; } = token;

    public DeviceIdentity Device { get; } = device;

    /// <summary>The SDK client of this member's device with its profile in <paramref name="profile"/> (created when missing).</summary>
    public DialogueClient Client(Uri server, string profile, TimeSpan httpTimeout, bool verifyArchive = true)
    {
        Directory.CreateDirectory(profile);
        return new DialogueClient(new DialogueClientOptions
        {
            ServerUri = server,
            Device = Device,
            ProfileDirectory = profile,
            AccessTokenProvider = _ => ValueTask.FromResult<string?>(Token),
            HttpTimeout = httpTimeout,
            VerifyArchive = verifyArchive,
        });
    }

    public void Dispose() => Device.Dispose();
}

/// <summary>One channel of the load: a review of its own whose <c>dialogue</c> channel has <c>--group</c> members.</summary>
internal sealed class LoadChannel(int index, Guid reviewId, IReadOnlyList<Member> members, EpochKey key) : IDisposable
{
    public int Index { get; } = index;

    public Guid ReviewId { get; } = reviewId;

    public IReadOnlyList<Member> Members { get; } = members;

    /// <summary>Epoch 0's key, as its author holds it (every member would unwrap the same key).</summary>
    public EpochKey Key { get; } = key;

    public void Dispose() => Key.Dispose();
}

/// <summary>
/// Everything the real server needs before the load, set up through its real API: development tokens, device
/// registration, reviews created by a secretariat member, and epoch 0 of each <c>dialogue</c> channel built with
/// <see cref="EpochRecordBuilder"/> by the member of the State under review.
/// </summary>
internal sealed class RealWorld : IDisposable
{
    private readonly HttpClient _anonymous;
    private readonly List<IDisposable> _owned = [];

    private RealWorld(Uri server)
    {
        Server = server;
        _anonymous = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri Server { get; }

    /// <summary>A world with nothing set up yet (the attachment benchmark creates what it needs).</summary>
    public static RealWorld Empty(Uri server) => new(server);

    public IReadOnlyList<LoadChannel> Channels { get; private set; } = [];

    public static async Task<RealWorld> CreateAsync(Uri server, int clients, int groupSize, CancellationToken cancellationToken)
    {
        var world = new RealWorld(server);
        try
        {
            var secretariat = await world.SignInAsync("load-secretariat", secretariat: true, registerDevice: false, cancellationToken);

            // Binds the secretariat's account once, before reviews are created in parallel with its token.
            _ = await world.ApiFor(secretariat.Token).GetMeAsync(cancellationToken);
            var members = new Member[clients];
            await Parallel.ForEachAsync(Enumerable.Range(0, clients), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
                async (i, ct) => members[i] = await world.SignInAsync($"load-m{i:D4}", secretariat: false, registerDevice: true, ct));

            var channels = new LoadChannel[clients / groupSize];
            await Parallel.ForEachAsync(Enumerable.Range(0, channels.Length), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
                async (c, ct) =>
                {
                    var group = members.Skip(c * groupSize).Take(groupSize).ToArray();
                    var (reviewId, key) = await world.OpenReviewAsync(secretariat, $"Load channel {c}", group, observers: [], ct);
                    channels[c] = new LoadChannel(c, reviewId, group, key);
                });
            world.Channels = channels;
            foreach (var channel in channels)
            {
                world._owned.Add(channel);
            }

            return world;
        }
        catch
        {
            world.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A review for the catch-up, set up as a real one: the secretariat creates it and registers each State's focal
    /// point, the focal points certify <paramref name="writers"/> experts (the first of the State under review opens
    /// epoch 0) and a reader, an observer of the State under review whose device is listed in epoch 0 and has never
    /// read anything. Focal points' profiles go under <paramref name="profiles"/>.
    /// </summary>
    public async Task<(Guid ReviewId, EpochKey Key, EpochRecord Record, IReadOnlyList<Member> Writers, Member Reader)> CreateCatchUpReviewAsync(
        int writers, string profiles, CancellationToken cancellationToken)
    {
        var secretariat = await SignInAsync("load-secretariat", secretariat: true, registerDevice: false, cancellationToken);
        var members = new List<Member>();
        for (var i = 0; i < writers; i++)
        {
            members.Add(await SignInAsync($"load-catchup-w{i:D2}", secretariat: false, registerDevice: true, cancellationToken));
        }

        var reader = await SignInAsync("load-catchup-reader", secretariat: false, registerDevice: true, cancellationToken);

        // Members join through their State's certificate (which adds them to the review), not the secretariat's list.
        var reviewId = await CreateReviewAsync(secretariat, "Catch-up", [], cancellationToken);
        Designation[] designations =
        [
            .. members.Select((m, i) => new Designation(m, StateOf(i), CertifiedRole.Expert)),
            new Designation(reader, ReviewedState, CertifiedRole.Observer),
        ];
        await StateCertification.CertifyAsync(this, secretariat, reviewId, designations, profiles, cancellationToken);
        var (key, record) = await OpenEpochZeroAsync(reviewId, "Catch-up", members, [reader], cancellationToken);
        return (reviewId, key, record, members, reader);
    }

    /// <summary>A fresh development token for <paramref name="user"/>.</summary>
    public async Task<string> TokenAsync(string user, bool secretariat, CancellationToken cancellationToken)
    {
        using var response = await _anonymous.PostAsJsonAsync(HttpRoutes.DevToken, new DevTokenRequest(user, secretariat), LoadJsonContext.Default.Options, cancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<DevTokenResponse>(cancellationToken);
        return body?.AccessToken ?? throw new InvalidOperationException("No token.");
    }

    public DialogueApiClient ApiFor(string token)
    {
        var http = new HttpClient { BaseAddress = Server, Timeout = TimeSpan.FromSeconds(60) };
        lock (_owned)
        {
            _owned.Add(http);
        }

        return new DialogueApiClient(http, _ => ValueTask.FromResult<string?>(token));
    }

    /// <summary>Seals <paramref name="count"/> envelopes of <paramref name="sender"/> with counters 1, 2, ... (1 KiB of text by default).</summary>
    public static byte[][] Seal(Member sender, EpochKey key, int firstCounter, int count, int messageBytes, DateTimeOffset createdAt)
    {
        var text = MessageText(messageBytes);
        var pool = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            var counter = (ulong)(firstCounter + i);
            pool[i] = EnvelopeSealer.Seal(
                sender.Device, key, counter,
                new EnvelopeDraft { Review = key.Review, Channel = key.Channel, Language = LanguageTag.English, Segments = [Segment.Text(text)] },
                createdAt).Encoded.ToArray();
        }

        return pool;
    }

    private static string MessageText(int bytes)
    {
        const string Words = "Please clarify how the reporting obligations of article 5 are met in practice. ";
        var builder = new System.Text.StringBuilder(bytes + Words.Length);
        while (builder.Length < bytes)
        {
            builder.Append(Words);
        }

        return builder.ToString(0, bytes);
    }

    public async Task<Member> SignInAsync(string user, bool secretariat, bool registerDevice, CancellationToken cancellationToken)
    {
        var token = await TokenAsync(user, secretariat, cancellationToken);
        var device = DeviceIdentity.Create();
        var member = new Member(user, token, device);
        lock (_owned)
        {
            _owned.Add(member);
        }

        if (registerDevice)
        {
            var registered = await ApiFor(token).RegisterDeviceAsync(device.PublicKeys, cancellationToken);
            if (!registered.IsSuccess)
            {
                throw new InvalidOperationException($"Registering the device of {user} failed: {registered.Error}");
            }
        }

        return member;
    }

    private async Task<(Guid ReviewId, EpochKey Key)> OpenReviewAsync(Member secretariat, string title, IReadOnlyList<Member> experts, IReadOnlyList<Member> observers, CancellationToken cancellationToken)
    {
        var (reviewId, key, _) = await OpenReviewCoreAsync(secretariat, title, experts, observers, cancellationToken);
        return (reviewId, key);
    }

    private const string ReviewedState = "AUT";

    // The first expert belongs to the State under review; the other experts are split between two reviewing States.
    private static string StateOf(int expert) => expert == 0 ? ReviewedState : (expert % 2 == 1 ? "FRA" : "KEN");

    // Observers belong to the State under review.
    private async Task<(Guid ReviewId, EpochKey Key, EpochRecord Record)> OpenReviewCoreAsync(
        Member secretariat, string title, IReadOnlyList<Member> experts, IReadOnlyList<Member> observers, CancellationToken cancellationToken)
    {
        var newMembers = experts.Select((m, i) => new NewMember(m.User, m.User, StateOf(i), MemberRole.Expert))
            .Concat(observers.Select(m => new NewMember(m.User, m.User, ReviewedState, MemberRole.Observer)))
            .ToList();
        var reviewId = await CreateReviewAsync(secretariat, title, newMembers, cancellationToken);
        var (key, record) = await OpenEpochZeroAsync(reviewId, title, experts, observers, cancellationToken);
        return (reviewId, key, record);
    }

    private async Task<Guid> CreateReviewAsync(Member secretariat, string title, IReadOnlyList<NewMember> members, CancellationToken cancellationToken)
    {
        var created = await ApiFor(secretariat.Token).CreateReviewAsync(new CreateReview(title, ReviewedState, ["FRA", "KEN"], ["en"], members), cancellationToken);
        return created.TryGetValue(out var review, out var error)
            ? review.ReviewId
            : throw new InvalidOperationException($"Creating review '{title}' failed: {error}");
    }

    // The first expert (of the State under review) writes epoch 0 of "dialogue" with every member's device.
    private async Task<(EpochKey Key, EpochRecord Record)> OpenEpochZeroAsync(
        Guid reviewId, string title, IReadOnlyList<Member> experts, IReadOnlyList<Member> observers, CancellationToken cancellationToken)
    {
        var author = experts[0];
        var (record, key) = EpochRecordBuilder.Genesis(
            author.Device, reviewId, ChannelId.Dialogue,
            [
                .. experts.Select(m => new MemberDevice(m.Device.PublicKeys, MayManage: true)),
                .. observers.Select(m => new MemberDevice(m.Device.PublicKeys, MayManage: false)),
            ],
            TimeProvider.System.GetUtcNow());
        var added = await ApiFor(author.Token).AddEpochRecordAsync(reviewId, "dialogue", record.Encoded, cancellationToken);
        if (added is not null)
        {
            key.Dispose();
            throw new InvalidOperationException($"Opening epoch 0 of '{title}' failed: {added}");
        }

        return (key, record);
    }

    public void Dispose()
    {
        _anonymous.Dispose();
        lock (_owned)
        {
            foreach (var owned in _owned)
            {
                owned.Dispose();
            }

            _owned.Clear();
        }
    }
}
