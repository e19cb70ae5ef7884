using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using SecureDialogue.Client;
using SecureDialogue.Client.Api;
using SecureDialogue.Client.Channels;
using SecureDialogue.Contracts;
using SecureDialogue.Vault.Attachments;

namespace SecureDialogue.Load;

/// <summary>
/// <c>attachments [--size-mib N] [--rounds R] [--s3]</c> (docs/benchmarks.md, "Attachments through the server"): one real
/// server (embedded profile; with <c>--s3</c>, its S3 backend on the Ceph RGW whose S3_* variables are set), and in
/// alternating rounds against the same server and storage:
/// <list type="bullet">
/// <item>upload: <see cref="ChannelSession.SendFileAsync"/> of an N MiB file (encrypt, parts, complete, document item) vs.
/// a plain upload of as many random bytes through the same API (begin, the same parts from a file, complete);</item>
/// <item>download: <see cref="ChannelSession.DownloadFileAsync"/> (ranged GET to a partial file, verify and decrypt to a
/// second file, rename) vs. a plain GET of the same blob streamed to a file.</item>
/// </list>
/// Prints each round's times and the median ratios (baseline time / library time; goal >= 0.90), plus the peak resident
/// memory of the server and of this process.
/// </summary>
internal static class AttachmentBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var sizeMiB = 256;
        var rounds = 3;
        var s3 = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--size-mib": sizeMiB = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--s3": s3 = true; break;
                default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
            }
        }

        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var work = Directory.CreateTempSubdirectory("sdlg-attach-bench-").FullName;
        var serverArgs = new List<string> { "--urls", "http://127.0.0.1:0", "--data", Path.Combine(work, "data") };
        if (s3)
        {
            string Env(string name) => Environment.GetEnvironmentVariable(name) ?? throw new InvalidOperationException($"--s3 needs {name} (source scripts/s3.sh start's output)");
            serverArgs.AddRange([
                "--Blobs:Backend=S3", $"--Blobs:S3:ServiceUrl={Env("S3_ENDPOINT")}", $"--Blobs:S3:AccessKey={Env("S3_ACCESS_KEY")}",
                $"--Blobs:S3:SecretKey={Env("S3_SECRET_KEY")}", $"--Blobs:S3:Bucket=sdlg-bench-{Guid.NewGuid():N}"[..40], "--Blobs:S3:CreateBucket=true"]);
        }

        var dll = typeof(AttachmentBench).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "MessagingDll").Value!;
        await using var server = await ChildServer.StartAsync("real server", dll, serverArgs, Path.Combine(work, "server.log"), null, CancellationToken.None);
        using var world = RealWorld.Empty(server.BaseAddress);
        var (reviewId, key, _, writers, reader) = await world.CreateCatchUpReviewAsync(1, work, CancellationToken.None);
        key.Dispose();
        var writer = writers[0];
        await using var writerClient = writer.Client(server.BaseAddress, Path.Combine(work, "writer"), TimeSpan.FromMinutes(10));
        await using var readerClient = reader.Client(server.BaseAddress, Path.Combine(work, "reader"), TimeSpan.FromMinutes(10));
        var writerSession = (await writerClient.OpenChannelAsync(reviewId, "dialogue")).Value!;
        var readerSession = (await readerClient.OpenChannelAsync(reviewId, "dialogue")).Value!;
        var api = world.ApiFor(writer.Token);
        var readerApi = world.ApiFor(reader.Token);

        var source = Path.Combine(work, "document.pdf");
        var plain = Path.Combine(work, "plain.bin");
        var length = (long)sizeMiB << 20;
        WriteRandom(source, length);
        WriteRandom(plain, AttachmentFormat.CiphertextLength(length));
        var plainHash = await HashAsync(plain);
        Console.WriteLine($"Attachments through the server: {sizeMiB} MiB file ({AttachmentFormat.CiphertextLength(length)} bytes stored), {rounds} round(s), " +
                          $"storage {(s3 ? "S3 (Ceph RGW)" : "local folder")}, {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");

        var upRatios = new List<double>();
        var downRatios = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            // Plain first in odd rounds, encrypted first in even rounds.
            double plainUp = 0, encUp = 0, plainDown = 0, encDown = 0;
            string? plainBlob = null;
            long sequence = 0;
            for (var turn = 0; turn < 2; turn++)
            {
                if ((turn == 0) == (round % 2 == 1))
                {
                    var stopwatch = Stopwatch.StartNew();
                    plainBlob = await PlainUploadAsync(api, reviewId, plain, plainHash);
                    plainUp = stopwatch.Elapsed.TotalSeconds;
                }
                else
                {
                    var stopwatch = Stopwatch.StartNew();
                    var sent = await writerSession.SendFileAsync(source, new AttachmentDescription("document.pdf", "application/pdf"));
                    encUp = stopwatch.Elapsed.TotalSeconds;
                    sequence = sent.Value!.Item.Sequence ?? throw new InvalidOperationException(sent.ToString());
                }
            }

            for (var turn = 0; turn < 2; turn++)
            {
                if ((turn == 0) == (round % 2 == 1))
                {
                    var target = Path.Combine(work, $"plain-{round}.bin");
                    var stopwatch = Stopwatch.StartNew();
                    await PlainDownloadAsync(readerApi, reviewId, plainBlob!, target);
                    plainDown = stopwatch.Elapsed.TotalSeconds;
                    File.Delete(target);
                }
                else
                {
                    var target = Path.Combine(work, $"doc-{round}.pdf");
                    var stopwatch = Stopwatch.StartNew();
                    var got = await readerSession.DownloadFileAsync(sequence, target);
                    encDown = stopwatch.Elapsed.TotalSeconds;
                    if (!got.IsSuccess)
                    {
                        throw new InvalidOperationException(got.ToString());
                    }

                    File.Delete(target);
                }
            }

            upRatios.Add(plainUp / encUp);
            downRatios.Add(plainDown / encDown);
            Console.WriteLine($"round {round}: upload plain {Rate(length, plainUp)} vs encrypted {Rate(length, encUp)} (ratio {plainUp / encUp:0.000}); " +
                              $"download plain {Rate(length, plainDown)} vs verified+decrypted {Rate(length, encDown)} (ratio {plainDown / encDown:0.000})");
        }

        Console.WriteLine($"median ratio upload {Median(upRatios):0.000}, download {Median(downRatios):0.000} (goal >= 0.90)");
        Console.WriteLine($"peak RSS: server {Hwm(server.Pid):0.0} MiB, this process (both clients) {Hwm(Environment.ProcessId):0.0} MiB");
        await writerSession.DisposeAsync();
        await readerSession.DisposeAsync();
        Directory.Delete(work, recursive: true);
        return 0;
    }

    private static async Task<string> PlainUploadAsync(DialogueApiClient api, Guid reviewId, string path, byte[] hash)
    {
        var length = new FileInfo(path).Length;
        var upload = (await api.BeginUploadAsync(reviewId, "dialogue", length)).Value!;
        var buffer = ArrayPool<byte>.Shared.Rent(upload.PartSize);
        try
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
            for (var n = 1; n <= upload.PartCount; n++)
            {
                var count = (int)Math.Min(upload.PartSize, length - ((n - 1) * (long)upload.PartSize));
                await file.ReadExactlyAsync(buffer.AsMemory(0, count));
                var sent = await api.PutUploadPartAsync(reviewId, "dialogue", upload.UploadId, n, buffer.AsMemory(0, count));
                if (!sent.IsSuccess)
                {
                    throw new InvalidOperationException(sent.ToString());
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return (await api.CompleteUploadAsync(reviewId, "dialogue", upload.UploadId, hash)).Value!.BlobId;
    }

    private static async Task PlainDownloadAsync(DialogueApiClient api, Guid reviewId, string blobId, string target)
    {
        await using var blob = (await api.GetBlobAsync(reviewId, "dialogue", blobId)).Value!;
        await using var file = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous);
        await blob.Content.CopyToAsync(file, 128 * 1024);
        file.Flush(flushToDisk: true);
    }

    private static void WriteRandom(string path, long length)
    {
        var block = System.Security.Cryptography.RandomNumberGenerator.GetBytes(1 << 20);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        for (long written = 0; written < length; written += block.Length)
        {
            BitConverter.TryWriteBytes(block, written);
            file.Write(block, 0, (int)Math.Min(block.Length, length - written));
        }
    }

    private static async Task<byte[]> HashAsync(string path)
    {
        using var hash = new AttachmentCiphertextHash();
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        var buffer = new byte[1 << 20];
        int read;
        while ((read = await file.ReadAsync(buffer)) > 0)
        {
            hash.Append(buffer.AsSpan(0, read));
        }

        return hash.Finish();
    }

    private static string Rate(long bytes, double seconds) => $"{bytes / seconds / (1 << 20):0.0} MiB/s";

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static double Hwm(int pid)
    {
        var line = File.ReadAllLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
    }
}
