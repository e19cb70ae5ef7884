using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using SecureDialogue.Client.Transport;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Tests.Infrastructure;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Envelopes;

namespace SecureDialogue.Messaging.Tests.Authorization;

/// <summary>Who calls, in the authorization matrix: the columns of the table, in this order.</summary>
public enum MatrixRole
{
    /// <summary>Carol, focal point of KEN, a reviewing State of review A.</summary>
    FocalPoint,

    /// <summary>Alice, expert of AUT, the State under review in review A.</summary>
    ExpertUnderReview,

    /// <summary>Bob, expert of FRA, a reviewing State of review A.</summary>
    ExpertReviewing,

    /// <summary>Olga, observer for AUT in review A.</summary>
    Observer,

    /// <summary>The secretariat member who created (and is assigned to) review A.</summary>
    Secretariat,

    /// <summary>Mallory: signed in, member of no review.</summary>
    Outsider,

    /// <summary>Bob of review B (an expert of a reviewing State there), calling into review A.</summary>
    OtherReviewMember,

    /// <summary>No token at all.</summary>
    Anonymous,
}

/// <summary>
/// The world the matrix runs in: one real server (SQLite, Kestrel on 127.0.0.1:0) with two reviews, A (the one every
/// cell targets) and B (whose member is the "other review's member"). Both channels of A are open and hold one envelope
/// each. Cells run one after the other; those that add an epoch move <see cref="Current"/> forward, so every later cell
/// seals in the channel's current epoch whatever the order.
/// </summary>
public sealed partial class MatrixWorld : IAsyncLifetime
{
    private readonly Dictionary<string, (EpochRecord Record, EpochKey Key)> _current = new(StringComparer.Ordinal);
    private readonly List<IDisposable> _owned = [];
    private long _counter = 1;
    private SealedBundleInfo? _sealed;

    public MessagingHost Host { get; private set; } = null!;

    /// <summary>Review A: every cell targets it.</summary>
    public ReviewScenario Review { get; private set; } = null!;

    /// <summary>Review B: another review on the same server.</summary>
    public ReviewScenario Other { get; private set; } = null!;

    public Guid ReviewId => Review.ReviewId;

    public async Task InitializeAsync()
    {
        Host = await MessagingHost.StartAsync(Engine.Sqlite);
        Review = await ReviewScenario.CreateAsync(Host);
        Other = await ReviewScenario.CreateAsync(Host);
        _current[ChannelId.Dialogue.Value] = (Review.DialogueRecord!, Review.DialogueKey!);
        _current[ChannelId.Reviewers.Value] = (Review.ReviewersRecord!, Review.ReviewersKey!);

        // One item in each channel, so readers have something to read.
        using var dialogue = await Review.PostEnvelopeAsync(Review.Alice, ChannelId.Dialogue.Value, Seal(Review.Alice, ChannelId.Dialogue.Value));
        dialogue.EnsureSuccessStatusCode();
        using var reviewers = await Review.PostEnvelopeAsync(Review.Bob, ChannelId.Reviewers.Value, Seal(Review.Bob, ChannelId.Reviewers.Value));
        reviewers.EnsureSuccessStatusCode();

        // One committed blob in each channel, so readers have something to download.
        foreach (var channel in new[] { ChannelId.Dialogue.Value, ChannelId.Reviewers.Value })
        {
            var upload = await UploadOfAsync(MatrixRole.FocalPoint, channel, partSent: true);
            using var completed = await Review.Carol.Http.PostAsJsonAsync(
                HttpRoutes.UploadCompletionOf(ReviewId, channel, upload), new CompleteUpload(SecureDialogue.Vault.Attachments.AttachmentCiphertextHash.Compute(BlobBytes(channel))));
            completed.EnsureSuccessStatusCode();
        }
        await ImportMatrixRegistryAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        Review.Dispose();
        Other.Dispose();
        await Host.DisposeAsync();
    }

    /// <summary>The person in a role; null for <see cref="MatrixRole.Anonymous"/>.</summary>
    public Participant? Caller(MatrixRole role) => role switch
    {
        MatrixRole.FocalPoint => Review.Carol,
        MatrixRole.ExpertUnderReview => Review.Alice,
        MatrixRole.ExpertReviewing => Review.Bob,
        MatrixRole.Observer => Review.Olga,
        MatrixRole.Secretariat => Review.Secretariat,
        MatrixRole.Outsider => Review.Mallory,
        MatrixRole.OtherReviewMember => Other.Bob,
        MatrixRole.Anonymous => null,
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    /// <summary>The caller in a role, which must not be anonymous.</summary>
    public Participant Signed(MatrixRole role) => Caller(role) ?? throw new InvalidOperationException("An anonymous caller has no device.");

    /// <summary>The HTTP client of a role (the anonymous one sends no token).</summary>
    public HttpClient Http(MatrixRole role) => Caller(role)?.Http ?? Host.Anonymous;

    /// <summary>Whether a role is a member (of any kind) of review A.</summary>
    public static bool IsMemberOfA(MatrixRole role) => role is MatrixRole.FocalPoint or MatrixRole.ExpertUnderReview or MatrixRole.ExpertReviewing
        or MatrixRole.Observer or MatrixRole.Secretariat;

    /// <summary>The channel's current epoch record (as stored by the server) and its key.</summary>
    public (EpochRecord Record, EpochKey Key) Current(string channel) => _current[channel];

    /// <summary>
    /// An envelope of <paramref name="sender"/>'s registered device, in review A's channel and its current epoch, with a
    /// counter above every earlier one: valid in every respect but the caller's right to post.
    /// </summary>
    public byte[] Seal(Participant sender, string channel) =>
        ReviewScenario.Seal(sender, Current(channel).Key, (ulong)Interlocked.Increment(ref _counter), "An authorization matrix cell.").Encoded.ToArray();

    /// <summary>
    /// The channel's next epoch record authored by <paramref name="author"/>'s device, keeping every current member (and
    /// listing the author when it is not listed yet, as the builder requires). Valid for a managing author.
    /// </summary>
    public (EpochRecord Record, EpochKey Key) NextEpoch(Participant author, string channel)
    {
        var current = Current(channel).Record;
        var members = current.Members.Select(m => new MemberDevice(m.Device, m.MayManage)).ToList();
        if (current.FindMember(author.Device.Id) is null)
        {
            members.Add(new MemberDevice(author.Device.PublicKeys, MayManage: true));
        }

        var next = EpochRecordBuilder.Next(author.Device, current, members, DateTimeOffset.FromUnixTimeSeconds(1_800_000_000 + current.Epoch + 1));
        _owned.Add(next.Key);
        return next;
    }

    /// <summary>Posts <see cref="NextEpoch"/> as <paramref name="role"/>; the world moves on when the server stored it.</summary>
    public async Task<HttpResponseMessage> PostNextEpochAsync(MatrixRole role, string channel)
    {
        var author = Caller(role) ?? Review.Alice;
        var (record, key) = NextEpoch(author, channel);
        var response = await Http(role).PostAsJsonAsync(HttpRoutes.EpochsOf(ReviewId, channel), new AddEpochRecord(record.Encoded.ToArray()));
        if (response.IsSuccessStatusCode)
        {
            _current[channel] = (record, key);
        }

        return response;
    }

    /// <summary>Posts <see cref="Seal"/> as <paramref name="role"/> over HTTP.</summary>
    public Task<HttpResponseMessage> PostEnvelopeAsync(MatrixRole role, string channel)
    {
        var envelope = Seal(Caller(role) ?? Review.Alice, channel);
        return Http(role).PostAsJsonAsync(HttpRoutes.EnvelopesOf(ReviewId, channel), new SendEnvelope(ReviewId, channel, envelope));
    }

    /// <summary>Length of the blobs the matrix uploads (one part).</summary>
    public const long BlobLength = 1000;

    /// <summary>The bytes of the channel's blob (different per channel, so the two blobs have different ids).</summary>
    public static byte[] BlobBytes(string channel) => [.. Enumerable.Range(0, (int)BlobLength).Select(i => (byte)(i + channel.Length))];

    /// <summary>The id of the channel's blob, committed in <see cref="InitializeAsync"/>.</summary>
    public static string BlobId(string channel) => Convert.ToHexStringLower(SecureDialogue.Vault.Attachments.AttachmentCiphertextHash.Compute(BlobBytes(channel)));

    /// <summary>
    /// A fresh upload of the channel's blob, begun by <paramref name="role"/> when it may post there and by the focal
    /// point otherwise (so a denied cell targets a real upload), with its one part sent when <paramref name="partSent"/>.
    /// </summary>
    public async Task<string> UploadOfAsync(MatrixRole role, string channel, bool partSent)
    {
        var owner = role is MatrixRole.FocalPoint || role == MatrixRole.ExpertReviewing || (role == MatrixRole.ExpertUnderReview && channel == ChannelId.Dialogue.Value)
            ? Signed(role)
            : Review.Carol;
        using var begun = await owner.Http.PostAsJsonAsync(HttpRoutes.UploadsOf(ReviewId, channel), new BeginUpload(BlobLength));
        begun.EnsureSuccessStatusCode();
        var status = (await begun.Content.ReadFromJsonAsync<UploadStatus>())!;
        if (partSent)
        {
            using var part = await owner.Http.PutAsync(HttpRoutes.UploadPartOf(ReviewId, channel, status.UploadId, 1), new ByteArrayContent(BlobBytes(channel)));
            part.EnsureSuccessStatusCode();
        }

        return status.UploadId;
    }

    /// <summary>
    /// Posts a cosignature of review A's latest checkpoint by the role's device (a device of review A's member for the
    /// anonymous and outsider roles, which must be refused before the signature matters).
    /// </summary>
    public async Task<HttpResponseMessage> PostCosignatureAsync(MatrixRole role)
    {
        var reader = Caller(role) is { } caller && IsMemberOfA(role) ? caller : Review.Alice;
        var keys = await reader.Http.GetFromJsonAsync<ArchiveKeys>(HttpRoutes.ArchiveKeys);
        var ring = new ArchiveKeyRing(keys!.Keys.Select(k => ArchiveLogKey.FromVerifierKey(k.VerifierKey, k.FirstTreeSize, k.LastTreeSize).Value!));
        var latest = await reader.Http.GetFromJsonAsync<ArchiveCheckpoint>(HttpRoutes.ArchiveOf(HttpRoutes.ArchiveCheckpoint, ReviewId));
        var view = new LogView(ReviewId, ring, TimeProvider.System);
        view.Update(SignedCheckpoint.Parse(latest!.Checkpoint).Value!, []);
        var cosigned = view.Cosign((Caller(role) ?? Review.Alice).Device).Value!;
        return await Http(role).PostAsJsonAsync(HttpRoutes.ArchiveOf(HttpRoutes.ArchiveCosignatures, ReviewId), new CosignCheckpoint(cosigned.Text));
    }

    /// <summary>Review A's archive sealed once by its secretariat (digests only, so cells stay fast): the receipt.</summary>
    public async Task<SealedBundleInfo> SealedAsync()
    {
        if (_sealed is null)
        {
            using var response = await Review.Secretariat.Http.PostAsJsonAsync(HttpRoutes.ArchiveOf(HttpRoutes.ArchiveSeal, ReviewId), new SealArchive("digests"));
            response.EnsureSuccessStatusCode();
            _sealed = (await response.Content.ReadFromJsonAsync<SealedBundleInfo>())!;
        }

        return _sealed;
    }

    /// <summary>A valid review to create (only the secretariat may).</summary>
    public CreateReview NewReview() => new(
        "Review of KEN " + Guid.NewGuid().ToString("N")[..8], "KEN", ["AUT"], ["en"],
        [new NewMember(Review.Alice.User, "Alice", "AUT", MemberRole.Expert)]);

    /// <summary>A started hub connection of a signed-in role (the SDK's WebSocket transport, bearer token).</summary>
    public async Task<HubConnection> ConnectAsync(MatrixRole role)
    {
        var token = Signed(role).Token;
        var connection = new HubConnectionBuilder()
            .WithWebSocketUrl(Host.HubUrl, _ => ValueTask.FromResult<string?>(token))
            .Build();
        await connection.StartAsync();
        return connection;
    }
}
