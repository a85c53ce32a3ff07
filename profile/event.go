package profile

import "time"

// EventType says what happened in an [Event]. The constants are the common
// types; hosts may use their own lower-case names.
type EventType string

// Common event types.
const (
	Purchase         EventType = "purchase"
	Return           EventType = "return"
	Complaint        EventType = "complaint"
	Enquiry          EventType = "enquiry"
	Visit            EventType = "visit"
	CampaignResponse EventType = "campaign_response"
	Signup           EventType = "signup"
	Login            EventType = "login"
)

// Channel says where an [Event] happened. The constants are the common
// channels; hosts may use their own lower-case names.
type Channel string

// Common channels.
const (
	ChannelEmail  Channel = "email"
	ChannelSocial Channel = "social"
	ChannelPhone  Channel = "phone"
	ChannelWeb    Channel = "web"
	ChannelApp    Channel = "app"
	ChannelStore  Channel = "store"
	ChannelChat   Channel = "chat"
	ChannelSMS    Channel = "sms"
)

// Event is something a customer did, recorded by a source system against one
// of its records: a purchase or return, a complaint, a visit, a campaign
// response. Events belong to records, so they follow their records through
// merges and splits of profiles.
type Event struct {
	// ID identifies the event within its source; may be empty.
	ID string `json:"id,omitempty"`
	// Record is the source record the event hangs off.
	Record Ref       `json:"record"`
	Type   EventType `json:"type"`
	Time   time.Time `json:"time"`

	Channel  Channel `json:"channel,omitempty"`
	Device   string  `json:"device,omitempty"`
	Region   string  `json:"region,omitempty"`
	Campaign string  `json:"campaign,omitempty"`

	// OrderID, Amount and Currency describe purchases and returns. Amount is
	// in the currency's major unit (12.50 means twelve and a half) and is
	// positive for both purchases and returns; Type says which. It is a
	// float64 because events feed analytics, not accounting.
	OrderID  string  `json:"order_id,omitempty"`
	Amount   float64 `json:"amount,omitempty"`
	Currency string  `json:"currency,omitempty"` // ISO 4217, upper case

	Attrs map[string]string `json:"attrs,omitempty"`
}
