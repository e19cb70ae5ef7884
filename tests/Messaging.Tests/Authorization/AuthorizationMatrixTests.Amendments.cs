using System.Net;
using SecureDialogue.Contracts;
using SecureDialogue.Vault.Amendments;
using static SecureDialogue.Messaging.Tests.Authorization.Expect;

namespace SecureDialogue.Messaging.Tests.Authorization;

/// <summary>
/// The matrix's rows for authors' corrections and retractions (docs/protocol.md section 21): those who may post in a
/// channel amend their own items there; its readers list the statements.
/// </summary>
public sealed partial class AuthorizationMatrixTests
{
    private static IReadOnlyList<MatrixRow> AmendmentRows =>
    [
        //                                                              Focal    ExpUR    ExpRv    Obs      Sec      Out      Other    Anon
        PostAmendment(Dialogue,                                        [Allow,   Allow,   Allow,   Deny403, Deny403, Deny403, Deny403, Deny401]),
        PostAmendment(Reviewers,                                       [Allow,   Deny403, Allow,   Deny403, Deny403, Deny403, Deny403, Deny401]),
        ReadAmendments(Dialogue,                                       [Allow,   Allow,   Allow,   Allow,   Deny403, Deny403, Deny403, Deny401]),
        ReadAmendments(Reviewers,                                      [Allow,   Deny403, Allow,   Deny403, Deny403, Deny403, Deny403, Deny401]),
    ];

    private static HttpRow PostAmendment(string channel, Expect[] expected) => new(
        "POST", AmendmentRoutes.Amendments, channel, expected,
        (w, r) => w.PostRetractionAsync(r, channel),
        async (w, r, response) =>
        {
            var entry = await Json<AmendmentEntry>(response, HttpStatusCode.Created);
            Assert.Equal("retract", entry.Action);
            Assert.Equal(w.Signed(r).Device.Id.ToString(), entry.AuthorDevice);
            Assert.True(entry.ArchiveIndex > entry.TargetArchiveIndex);
            Assert.Equal(AmendmentAction.Retract, AmendmentCodec.Verify(entry.Statement, w.Signed(r).Device.PublicKeys).Value!.Amendment.Action);
        });

    private static HttpRow ReadAmendments(string channel, Expect[] expected) => new(
        "GET", AmendmentRoutes.Amendments, channel, expected,
        (w, r) => w.Http(r).GetAsync(AmendmentRoutes.AmendmentsOf(w.ReviewId, channel)),
        async (_, _, response) =>
        {
            var entries = await Json<List<AmendmentEntry>>(response, HttpStatusCode.OK);
            Assert.Equal(entries.Select(e => e.ArchiveIndex).Order(), entries.Select(e => e.ArchiveIndex));
            Assert.All(entries, e => Assert.True(AmendmentCodec.Decode(e.Statement).IsSuccess));
        });
}
