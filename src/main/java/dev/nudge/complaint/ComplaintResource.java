package dev.nudge.complaint;

import dev.nudge.common.auth.Roles;
import dev.nudge.common.http.ETags;
import dev.nudge.common.idempotency.Idempotent;
import dev.nudge.common.paging.Page;
import dev.nudge.common.paging.PageRequest;
import dev.nudge.common.problem.ApiProblem;
import dev.nudge.complaint.ComplaintRepository.Filter;
import dev.nudge.complaint.ComplaintStats.Stats;
import dev.nudge.complaint.ComplaintViews.ActionRequest;
import dev.nudge.complaint.ComplaintViews.ComplaintView;
import dev.nudge.complaint.ComplaintViews.HistoryView;
import dev.nudge.complaint.ComplaintViews.MessageRecorded;
import dev.nudge.complaint.ComplaintViews.MessageRequest;
import dev.nudge.complaint.ComplaintViews.MessageView;
import dev.nudge.complaint.ComplaintViews.OpenComplaint;
import dev.nudge.complaint.ComplaintViews.Responded;
import dev.nudge.complaint.ComplaintViews.ResponseRequest;
import dev.nudge.complaint.ComplaintViews.ResponseView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

@RolesAllowed(Roles.TENANT)
@Path("/v1/complaints")
@Produces(MediaType.APPLICATION_JSON)
public class ComplaintResource {

  private final ComplaintService complaints;
  private final ConversationService conversation;
  private final ComplaintStats stats;

  public ComplaintResource(
      ComplaintService complaints, ConversationService conversation, ComplaintStats stats) {
    this.complaints = complaints;
    this.conversation = conversation;
    this.stats = stats;
  }

  @Idempotent
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response open(OpenComplaint request) {
    ComplaintView c = complaints.open(request);
    return Response.created(URI.create("/v1/complaints/" + c.id()))
        .tag(ETags.of(c.version()))
        .entity(c)
        .build();
  }

  @GET
  public Page<ComplaintView> list(
      @QueryParam("state") String state,
      @QueryParam("severity") String severity,
      @QueryParam("category") String category,
      @QueryParam("breached") String breached,
      @QueryParam("assignee") String assignee,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    if (breached != null && !breached.equals("true") && !breached.equals("false")) {
      throw ApiProblem.validation("breached", "must be true or false");
    }
    return complaints.list(
        new Filter(
            state,
            severity,
            category,
            breached == null ? null : Boolean.valueOf(breached),
            assignee),
        PageRequest.of(limit, cursor));
  }

  @GET
  @Path("/stats")
  public Stats stats(@QueryParam("from") String from, @QueryParam("to") String to) {
    return stats.stats(from, to);
  }

  @GET
  @Path("/{id}")
  public Response get(@PathParam("id") String id) {
    ComplaintView c = complaints.get(id);
    return Response.ok(c).tag(ETags.of(c.version())).build();
  }

  @GET
  @Path("/{id}/history")
  public Page<HistoryView> history(
      @PathParam("id") String id,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    return complaints.history(id, PageRequest.of(limit, cursor));
  }

  @Idempotent
  @POST
  @Path("/{id}/actions")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response act(
      @PathParam("id") String id, @HeaderParam("If-Match") String ifMatch, ActionRequest request) {
    ComplaintView c = complaints.act(id, request, ifMatch);
    return Response.ok(c).tag(ETags.of(c.version())).build();
  }

  @Idempotent
  @POST
  @Path("/{id}/responses")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response respond(
      @PathParam("id") String id, @QueryParam("strict") String strict, ResponseRequest request) {
    if (strict != null && !strict.equals("true") && !strict.equals("false")) {
      throw ApiProblem.validation("strict", "must be true or false");
    }
    Responded r = conversation.respond(id, request, "true".equals(strict));
    return Response.status(201).tag(ETags.of(r.complaint().version())).entity(r).build();
  }

  @GET
  @Path("/{id}/responses")
  public Page<ResponseView> responses(
      @PathParam("id") String id,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    return conversation.responses(id, PageRequest.of(limit, cursor));
  }

  @Idempotent
  @POST
  @Path("/{id}/messages")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response message(@PathParam("id") String id, MessageRequest request) {
    MessageRecorded m = conversation.message(id, request);
    return Response.status(201).tag(ETags.of(m.complaint().version())).entity(m).build();
  }

  @GET
  @Path("/{id}/messages")
  public Page<MessageView> messages(
      @PathParam("id") String id,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    return conversation.messages(id, PageRequest.of(limit, cursor));
  }
}
