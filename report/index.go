package report

// idOrder numbers ids in the order the record first mentions them.
type idOrder struct {
	ids []string
	at  map[string]int32
}

func (o *idOrder) add(id string) int32 {
	if i, ok := o.at[id]; ok {
		return i
	}
	i := int32(len(o.ids))
	o.at[id] = i
	o.ids = append(o.ids, id)
	return i
}

func (o *idOrder) lookup(id string) (int32, bool) {
	i, ok := o.at[id]
	return i, ok
}
