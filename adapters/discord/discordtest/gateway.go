package discordtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// gatewayPath is where the fake's websocket gateway listens; GET /gateway
// returns it.
const gatewayPath = "/gateway/ws"

// Gateway opcodes and close codes:
// https://discord.com/developers/docs/topics/opcodes-and-status-codes#gateway
const (
	opDispatch       = 0
	opHeartbeat      = 1
	opIdentify       = 2
	opResume         = 6
	opReconnect      = 7
	opInvalidSession = 9
	opHello          = 10
	opHeartbeatACK   = 11

	closeAuthFailed       = 4004
	closeDisallowedIntent = 4014

	// privilegedIntents need approval in the developer portal: GUILD_MEMBERS,
	// GUILD_PRESENCES and MESSAGE_CONTENT.
	privilegedIntents = 1<<1 | 1<<8 | 1<<15
)

// GatewayStats counts what happened on the gateway.
type GatewayStats struct {
	Connections, Identifies, Resumes, Heartbeats, Dispatches int
	Intents                                                  int  // of the last IDENTIFY
	Live                                                     bool // a session is connected and ready
}

// gateway is the fake's websocket gateway. Its state is guarded by the
// Server's mutex; every write to a connection happens under it, so frames
// leave in sequence order.
type gateway struct {
	s        *Server
	up       websocket.Upgrader
	wg       sync.WaitGroup
	conns    map[*gwConn]bool
	sessions map[string]*gwSession
	stats    GatewayStats
}

type gwSession struct {
	id     string
	seq    int64
	events []frame // every dispatch, for replay on RESUME
	conn   *gwConn
}

type gwConn struct {
	ws      *websocket.Conn
	session *gwSession
}

// frame is one gateway payload.
type frame struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d"`
	S  *int64          `json:"s"`
	T  *string         `json:"t"`
}

func newGateway(s *Server) *gateway {
	return &gateway{s: s, conns: map[*gwConn]bool{}, sessions: map[string]*gwSession{}}
}

// GatewayStats returns what happened on the gateway so far.
func (s *Server) GatewayStats() GatewayStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.gw.stats
	st.Live = s.gw.live()
	return st
}

// WaitGateway waits until a gateway session is connected and ready.
func (s *Server) WaitGateway(ctx context.Context) error {
	return s.wait(ctx, s.gw.live)
}

// live reports whether a session is connected; call with s.mu held.
func (g *gateway) live() bool {
	for _, sess := range g.sessions {
		if sess.conn != nil {
			return true
		}
	}
	return false
}

// Reconnect asks every connected client to reconnect (opcode 7); a client
// that follows the protocol resumes its session.
func (s *Server) Reconnect() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.gw.conns {
		c.send(frame{Op: opReconnect, D: json.RawMessage("null")})
	}
}

// DropGateway cuts every gateway connection without a close frame, as a
// network failure would; sessions stay resumable.
func (s *Server) DropGateway() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.gw.conns {
		c.ws.UnderlyingConn().Close()
	}
}

func (g *gateway) close() {
	g.s.mu.Lock()
	for c := range g.conns {
		c.ws.Close()
	}
	g.s.mu.Unlock()
	g.wg.Wait()
}

func (g *gateway) serve(w http.ResponseWriter, r *http.Request) {
	ws, err := g.up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &gwConn{ws: ws}
	g.s.mu.Lock()
	select {
	case <-g.s.done:
		g.s.mu.Unlock()
		ws.Close()
		return
	default:
	}
	g.wg.Add(1)
	defer g.wg.Done()
	g.conns[c] = true
	g.stats.Connections++
	hello, _ := json.Marshal(map[string]any{"heartbeat_interval": g.s.opts.HeartbeatInterval.Milliseconds()})
	c.send(frame{Op: opHello, D: hello})
	g.s.mu.Unlock()
	code := g.read(c)
	g.s.mu.Lock()
	delete(g.conns, c)
	if sess := c.session; sess != nil && sess.conn == c {
		sess.conn = nil
		if code == websocket.CloseNormalClosure || code == websocket.CloseGoingAway {
			delete(g.sessions, sess.id) // a clean close ends the session
		}
	}
	g.s.notify()
	g.s.mu.Unlock()
	ws.Close()
}

// read handles the client's frames until the connection ends and returns
// the close code the client sent (0 when it sent none).
func (g *gateway) read(c *gwConn) int {
	for {
		var f frame
		if err := c.ws.ReadJSON(&f); err != nil {
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				return ce.Code
			}
			return 0
		}
		g.s.mu.Lock()
		ok := g.handle(c, f)
		g.s.notify()
		g.s.mu.Unlock()
		if !ok {
			return 0
		}
	}
}

// handle answers one client frame; call with s.mu held. It returns false
// when the connection was closed.
func (g *gateway) handle(c *gwConn, f frame) bool {
	switch f.Op {
	case opHeartbeat:
		g.stats.Heartbeats++
		c.send(frame{Op: opHeartbeatACK, D: json.RawMessage("null")})
	case opIdentify:
		var d struct {
			Token   string `json:"token"`
			Intents int    `json:"intents"`
		}
		json.Unmarshal(f.D, &d)
		g.stats.Identifies++
		g.stats.Intents = d.Intents
		if !g.tokenOK(d.Token) {
			return c.closeWith(closeAuthFailed, "Authentication failed.")
		}
		if d.Intents&privilegedIntents != 0 {
			return c.closeWith(closeDisallowedIntent, "Disallowed intent(s).")
		}
		sess := &gwSession{id: randomHex(32), conn: c}
		g.sessions[sess.id], c.session = sess, sess
		g.emit(sess, "READY", map[string]any{"v": 10, "user": g.s.botUser(), "guilds": []any{}, "session_id": sess.id,
			"resume_gateway_url": "ws" + strings.TrimPrefix(g.s.http.URL, "http") + gatewayPath, "shard": []int{0, 1},
			"application": map[string]any{"id": g.s.opts.ApplicationID, "flags": 0}})
	case opResume:
		var d struct {
			Token     string `json:"token"`
			SessionID string `json:"session_id"`
			Seq       int64  `json:"seq"`
		}
		json.Unmarshal(f.D, &d)
		sess := g.sessions[d.SessionID]
		if !g.tokenOK(d.Token) || sess == nil || sess.conn != nil {
			c.send(frame{Op: opInvalidSession, D: json.RawMessage("false")})
			return true
		}
		g.stats.Resumes++
		sess.conn, c.session = c, sess
		for _, e := range sess.events {
			if *e.S > d.Seq {
				c.send(e)
			}
		}
		g.emit(sess, "RESUMED", map[string]any{})
	}
	return true
}

func (g *gateway) tokenOK(t string) bool {
	return strings.TrimPrefix(t, "Bot ") == g.s.opts.Token
}

// dispatch sends an event to every session, keeping it for replay.
func (g *gateway) dispatch(event string, data json.RawMessage) error {
	g.s.mu.Lock()
	defer g.s.mu.Unlock()
	if len(g.sessions) == 0 {
		return fmt.Errorf("discordtest: %s: no gateway session", event)
	}
	for _, sess := range g.sessions {
		g.emit(sess, event, data)
	}
	return nil
}

// emit sends a dispatch on a session; call with s.mu held.
func (g *gateway) emit(sess *gwSession, event string, data any) {
	raw, ok := data.(json.RawMessage)
	if !ok {
		raw, _ = json.Marshal(data)
	}
	sess.seq++
	seq, t := sess.seq, event
	f := frame{Op: opDispatch, D: raw, S: &seq, T: &t}
	sess.events = append(sess.events, f)
	g.stats.Dispatches++
	if sess.conn != nil {
		sess.conn.send(f)
	}
}

// send writes one frame; call with s.mu held.
func (c *gwConn) send(f frame) {
	c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	c.ws.WriteJSON(f)
}

// closeWith closes the connection with a gateway close code.
func (c *gwConn) closeWith(code int, reason string) bool {
	c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(time.Second))
	c.ws.Close()
	return false
}
