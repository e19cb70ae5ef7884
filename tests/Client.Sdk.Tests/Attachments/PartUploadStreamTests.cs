using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using SecureDialogue.Client.Api;
using SecureDialogue.Client.Attachments;
using SecureDialogue.Contracts;
using SecureDialogue.Vault;

namespace SecureDialogue.Client.Tests.Attachments;

public sealed class PartUploadStreamTests
{
    private static readonly UploadStatus s_status = new("00112233445566778899aabbccddeeff", 25, 10, 3, [], DateTimeOffset.UnixEpoch, 1000);
    private static readonly byte[] s_blob = [.. Enumerable.Range(0, 25).Select(i => (byte)i)];

    [Fact]
    public async Task Write_PartTwoAcknowledgedWithMatchingHash_SendsOnlyOneAndThreeAndReportsAll()
    {
        // Arrange
        var sent = new List<(int Number, byte[] Bytes)>();
        var recorded = new Dictionary<int, string>();
        var reports = new List<TransferProgress>();
        var known = new Dictionary<int, string> { [2] = Hash(s_blob[10..20]) };
        using var stream = new PartUploadStream(s_status, [2], known, Send(sent), (n, h) => recorded[n] = h, new Collect(reports), TimeProvider.System);

        // Act: the encryptor writes in pieces that do not line up with parts.
        await stream.WriteAsync(s_blob.AsMemory(0, 7));
        await stream.WriteAsync(s_blob.AsMemory(7, 18));
        await stream.FinishAsync(default);

        // Assert
        Assert.Equal([1, 3], sent.Select(p => p.Number));
        Assert.Equal(s_blob[..10], sent[0].Bytes);
        Assert.Equal(s_blob[20..], sent[1].Bytes);
        Assert.Equal(Hash(s_blob[..10]), recorded[1]);
        Assert.Equal(Hash(s_blob[20..]), recorded[3]);
        Assert.Equal((2, 1), (stream.PartsSent, stream.PartsSkipped));
        Assert.Equal(25, reports.Max(r => r.Done));
        Assert.All(reports, r => Assert.Equal(10, r.Resumed));
    }

    [Fact]
    public async Task Write_AcknowledgedPartNowDifferent_StopsWithFileChangedBeforeSendingAnything()
    {
        // Arrange: part 1 was acknowledged with other bytes (the file changed since the interrupted run).
        var sent = new List<(int Number, byte[] Bytes)>();
        var known = new Dictionary<int, string> { [1] = Hash(new byte[10]) };
        using var stream = new PartUploadStream(s_status, [1], known, Send(sent), (_, _) => { }, null, TimeProvider.System);

        // Act
        var stopped = await Assert.ThrowsAsync<TransferStoppedException>(() => stream.WriteAsync(s_blob.AsMemory()).AsTask());

        // Assert
        Assert.Equal(AttachmentFailureKind.FileChanged, stopped.Failure.Kind);
        Assert.Empty(sent);
    }

    [Fact]
    public async Task Write_TransientFailureThenSuccess_RetriedAfterBackoff_RefusalStopsAtOnce()
    {
        // Arrange
        var time = new FakeTimeProvider();
        var attempts = 0;
        using var retried = new PartUploadStream(s_status with { Length = 5, PartCount = 1 }, [], new Dictionary<int, string>(),
            (n, content, _) => Task.FromResult(++attempts == 1
                ? Result<UploadedPart, ApiError>.Fail(new ApiError(0, ApiError.Unreachable, "down", null))
                : Result<UploadedPart, ApiError>.Ok(new UploadedPart(n, content.Length))),
            (_, _) => { }, null, time);
        using var refused = new PartUploadStream(s_status with { Length = 5, PartCount = 1 }, [], new Dictionary<int, string>(),
            (_, _, _) => Task.FromResult(Result<UploadedPart, ApiError>.Fail(new ApiError(404, ProblemTypes.NotFound, "Not found.", null))),
            (_, _) => { }, null, time);

        // Act
        await retried.WriteAsync(s_blob.AsMemory(0, 5));
        var finishing = retried.FinishAsync(default);
        while (attempts < 1)
        {
            await Task.Delay(10);
        }

        time.Advance(TimeSpan.FromSeconds(1));
        await finishing;
        await refused.WriteAsync(s_blob.AsMemory(0, 5));
        var stopped = await Assert.ThrowsAsync<TransferStoppedException>(() => refused.FinishAsync(default));

        // Assert
        Assert.Equal(2, attempts);
        Assert.Equal(1, retried.PartsSent);
        Assert.Equal(AttachmentFailureKind.Refused, stopped.Failure.Kind);
    }

    private static Func<int, ReadOnlyMemory<byte>, CancellationToken, Task<Result<UploadedPart, ApiError>>> Send(List<(int, byte[])> sent) =>
        (number, content, _) =>
        {
            lock (sent)
            {
                sent.Add((number, content.ToArray()));
            }

            return Task.FromResult(Result<UploadedPart, ApiError>.Ok(new UploadedPart(number, content.Length)));
        };

    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private sealed class Collect(List<TransferProgress> reports) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}
